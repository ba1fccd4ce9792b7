package table

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/concorddb/concord/storage"
)

func TestTableReplicaUpdates(t *testing.T) {
	ctx := context.Background()
	e := newDefsEngine(t)
	e.SetRegions(func() []string { return []string{"eu-west-1", "ap-southeast-2"} })
	if _, _, err := e.CreateTable(ctx, onDemand("tbl")); err != nil {
		t.Fatal(err)
	}
	var re *ReplicaError
	if _, err := e.AddReplica(ctx, "tbl", "mars-1"); !errors.As(err, &re) || !errors.Is(err, ErrUnknownRegion) ||
		re.Region != "mars-1" || !slices.Equal(re.Known, []string{"ap-southeast-2", "eu-west-1", "us-east-1"}) {
		t.Errorf("an unknown region: %v (%+v)", err, re)
	}
	if _, err := e.RemoveReplica(ctx, "tbl", "us-east-1"); !errors.Is(err, ErrRemoveOwnReplica) {
		t.Errorf("removing this region's replica: %v", err)
	}
	if _, err := e.AddReplica(ctx, "tbl", "eu-west-1"); !errors.As(err, &re) || !errors.Is(err, ErrReplicaExists) || re.Table != "tbl" {
		t.Errorf("adding a replica the table has: %v", err)
	}
	def, err := e.RemoveReplica(ctx, "tbl", "eu-west-1")
	if err != nil || !slices.Equal(def.Replicas, []string{"ap-southeast-2", "us-east-1"}) {
		t.Fatalf("removing eu-west-1: %v, %v", def.Replicas, err)
	}
	if _, err := e.RemoveReplica(ctx, "tbl", "eu-west-1"); !errors.Is(err, ErrReplicaNotFound) {
		t.Errorf("removing it again: %v", err)
	}
	def, err = e.AddReplica(ctx, "tbl", "eu-west-1")
	if err != nil || !slices.Equal(def.Replicas, []string{"ap-southeast-2", "eu-west-1", "us-east-1"}) {
		t.Fatalf("adding eu-west-1 back: %v, %v", def.Replicas, err)
	}
	if def.Origin != "us-east-1" {
		t.Errorf("the change's origin %q, want this region", def.Origin)
	}
	if _, err := e.AddReplica(ctx, "nope", "eu-west-1"); !errors.Is(err, storage.ErrTableNotFound) {
		t.Errorf("an unknown table: %v", err)
	}
}
