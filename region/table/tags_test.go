package table

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/concorddb/concord/storage"
)

func TestTableTags(t *testing.T) {
	ctx := context.Background()
	e := newDefsEngine(t)
	s := onDemand("tbl")
	s.Tags = []Tag{{Key: "a", Value: "1"}}
	if _, _, err := e.CreateTable(ctx, s); err != nil {
		t.Fatal(err)
	}
	tags := func() []Tag {
		def, err := e.Store().Table("tbl")
		if err != nil {
			t.Fatal(err)
		}
		m, err := LoadMeta(def)
		if err != nil {
			t.Fatal(err)
		}
		return m.Tags
	}
	if err := e.TagTable(ctx, "tbl", []Tag{{Key: "a", Value: "2"}, {Key: "b", Value: ""}}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); !slices.Equal(got, []Tag{{"a", "2"}, {"b", ""}}) {
		t.Errorf("after TagTable: %v", got)
	}
	var many []Tag
	for i := range MaxTags - 1 {
		many = append(many, Tag{Key: fmt.Sprint("k", i)})
	}
	if err := e.TagTable(ctx, "tbl", many); !errors.Is(err, ErrTooManyTags) {
		t.Errorf("%d tags: %v, want ErrTooManyTags", MaxTags+1, err)
	}
	if got := tags(); len(got) != 2 {
		t.Errorf("a refused TagTable changed the tags: %v", got)
	}
	if err := e.UntagTable(ctx, "tbl", []string{"a", "zzz"}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); !slices.Equal(got, []Tag{{"b", ""}}) {
		t.Errorf("after UntagTable: %v", got)
	}
	if err := e.TagTable(ctx, "nope", many); !errors.Is(err, storage.ErrTableNotFound) {
		t.Errorf("an unknown table: %v", err)
	}
	if err := e.UntagTable(ctx, "nope", []string{"a"}); !errors.Is(err, storage.ErrTableNotFound) {
		t.Errorf("an unknown table: %v", err)
	}
}
