package table

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// newTestEngine returns an Engine over an in-memory store holding table
// "t" (pk S, sk N) with a GSI "byG" on g (S), and a deterministic clock.
func newTestEngine(t *testing.T) (*Engine, storage.TableDef) {
	t.Helper()
	e := newMemEngine(t, 1_700_000_000_000_000_000)
	def, err := e.Store().CreateTable(context.Background(), storage.TableDef{Name: "t",
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS},
		SortKey:      &storage.KeyAttr{Name: "sk", Type: item.TypeN},
		Indexes: []storage.IndexDef{{Name: "byG", Kind: storage.IndexGlobal,
			PartitionKey: storage.KeyAttr{Name: "g", Type: item.TypeS}, Projection: storage.ProjectAll}}})
	if err != nil {
		t.Fatal(err)
	}
	return e, def
}

func key(pk string, sk string) item.Item {
	return item.Item{"pk": item.Str(pk), "sk": item.Num(sk)}
}

func cond(t *testing.T, s string) *expr.Condition {
	t.Helper()
	c, err := expr.ParseCondition("ConditionExpression", s, expr.NewParams(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTableWriteConditionAndVersion(t *testing.T) {
	e, def := newTestEngine(t)
	ctx := context.Background()
	it := item.Item{"pk": item.Str("a"), "sk": item.Num("1"), "x": item.Str("v1")}
	req := &Request{Trace: []byte("00-trace")}
	old, _, err := e.Write(WithRequest(ctx, req), Write{Op: OpPut, Def: def, Key: key("a", "1"), Item: it,
		Cond: cond(t, "attribute_not_exists(pk)")})
	if err != nil || old != nil {
		t.Fatalf("first put: old=%v err=%v", old, err)
	}
	if !req.Versioned || req.Version.Region != "us-east-1" {
		t.Fatalf("the write's version was not recorded: %+v", req)
	}
	first := req.Version

	// The same condition now fails, with the current item when asked.
	_, _, err = e.Write(ctx, Write{Op: OpPut, Def: def, Key: key("a", "1"), Item: it,
		Cond: cond(t, "attribute_not_exists(pk)"), ReturnOld: true})
	var cf *ConditionFailedError
	if !errors.As(err, &cf) || !errors.Is(err, ErrConditionFailed) || cf.Item["x"].S != "v1" {
		t.Fatalf("failed condition: err=%v", err)
	}
	_, _, err = e.Write(ctx, Write{Op: OpPut, Def: def, Key: key("a", "1"), Item: it, Cond: cond(t, "attribute_not_exists(pk)")})
	if !errors.As(err, &cf) || cf.Item != nil {
		t.Fatalf("a failed condition without ReturnOld carries the item: %v", err)
	}

	// A later write takes a greater version.
	req2 := &Request{}
	if _, _, err := e.Write(WithRequest(ctx, req2), Write{Op: OpDelete, Def: def, Key: key("a", "1")}); err != nil {
		t.Fatal(err)
	}
	if req2.Version.Compare(first) <= 0 {
		t.Fatalf("delete version %v not after put version %v", req2.Version, first)
	}
	var meta storage.Meta
	if _, err := e.Store().Update(ctx, "t", key("a", "1"), func(_ item.Item, m storage.Meta) (storage.Mutation, error) {
		meta = m
		return storage.Mutation{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if v, err := conflict.DecodeVersion(meta.Version); err != nil || v != req2.Version {
		t.Fatalf("stored tombstone version %v (%v), want %v", v, err, req2.Version)
	}

	// Deleting an absent item still writes a tombstone, with a version.
	req3 := &Request{}
	if _, _, err := e.Write(WithRequest(ctx, req3), Write{Op: OpDelete, Def: def, Key: key("zz", "9")}); err != nil || !req3.Versioned {
		t.Fatalf("delete of an absent item: err=%v versioned=%v", err, req3.Versioned)
	}
}

func TestTableWriteTypedErrors(t *testing.T) {
	e, def := newTestEngine(t)
	ctx := context.Background()
	big := item.Item{"pk": item.Str("a"), "sk": item.Num("1"), "x": item.Str(strings.Repeat("x", item.MaxItemSize))}
	if _, err := CheckPut(def, big); !errors.Is(err, ErrItemTooLarge) {
		t.Errorf("big put: %v", err)
	}
	var se *storage.SchemaError
	if _, err := CheckPut(def, item.Item{"sk": item.Num("1")}); !errors.As(err, &se) || se.Problem != storage.KeyMissing || se.Attr != "pk" {
		t.Errorf("missing key: %v", err)
	}
	var an *AttrNameError
	if _, err := CheckPut(def, item.Item{"pk": item.Str("a"), "sk": item.Num("1"), "": item.Str("x")}); !errors.As(err, &an) {
		t.Errorf("empty attribute name: %v", err)
	}
	var ik *IndexKeyError
	if _, err := CheckPut(def, item.Item{"pk": item.Str("a"), "sk": item.Num("1"), "g": item.Num("1")}); !errors.As(err, &ik) ||
		ik.Index != "byG" || ik.Problem != storage.KeyType || ik.Want != item.TypeS || ik.Got != item.TypeN {
		t.Errorf("mistyped index key: %v", err)
	}
	if _, err := CheckPut(def, item.Item{"pk": item.Str("a"), "sk": item.Num("1"), "g": item.Str("")}); !errors.As(err, &ik) || ik.Problem != storage.KeyEmpty {
		t.Errorf("empty index key: %v", err)
	}
	upd, err := expr.ParseUpdate("SET pk = :v", expr.NewParams(nil, map[string]item.Value{":v": item.Str("b")}))
	if err != nil {
		t.Fatal(err)
	}
	var ku *KeyUpdateError
	if err := CheckUpdate(def, upd); !errors.As(err, &ku) || ku.Attr != "pk" {
		t.Errorf("key update: %v", err)
	}
	grow, err := expr.ParseUpdate("SET x = :v", expr.NewParams(nil, map[string]item.Value{":v": item.Str(strings.Repeat("y", item.MaxItemSize))}))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Write(ctx, Write{Op: OpUpdate, Def: def, Key: key("a", "1"), Update: grow}); !errors.Is(err, ErrUpdatedItemTooLarge) {
		t.Errorf("growing update: %v", err)
	}
	if !IsDataError(ErrUpdatedItemTooLarge) || IsDataError(context.Canceled) {
		t.Error("IsDataError misclassifies")
	}
}

func TestTableTransactCancels(t *testing.T) {
	e, def := newTestEngine(t)
	ctx := context.Background()
	a := item.Item{"pk": item.Str("a"), "sk": item.Num("1"), "n": item.Num("1")}
	if _, _, err := e.Write(ctx, Write{Op: OpPut, Def: def, Key: key("a", "1"), Item: a}); err != nil {
		t.Fatal(err)
	}
	add, err := expr.ParseUpdate("SET n = n + :one", expr.NewParams(nil, map[string]item.Value{":one": item.Num("1")}))
	if err != nil {
		t.Fatal(err)
	}
	actions := []TxAction{
		{Write: Write{Op: OpUpdate, Def: def, Key: key("a", "1"), Update: add}},
		{Write: Write{Op: OpCheck, Def: def, Key: key("b", "1"), Cond: cond(t, "attribute_exists(pk)"), ReturnOld: true}},
		{Write: Write{Op: OpPut, Def: def, Key: key("c", "1"), Item: item.Item{"pk": item.Str("c"), "sk": item.Num("1")}}},
	}
	_, _, err = e.Transact(ctx, actions, nil)
	var ce *CanceledError
	if !errors.As(err, &ce) || !errors.Is(err, ErrCanceled) || len(ce.Reasons) != 3 ||
		ce.Reasons[0].Code != ReasonNone || ce.Reasons[1].Code != ReasonConditionFailed || ce.Reasons[2].Code != ReasonNone {
		t.Fatalf("transaction: %v %+v", err, ce)
	}
	if got, _ := e.Store().Get(ctx, "t", key("a", "1")); got["n"].S != "1" {
		t.Fatalf("a cancelled transaction wrote: %v", got)
	}
	if got, _ := e.Store().Get(ctx, "t", key("c", "1")); got != nil {
		t.Fatalf("a cancelled transaction wrote: %v", got)
	}

	// An update whose operand has the wrong type is a validation reason.
	d := item.Item{"pk": item.Str("d"), "sk": item.Num("1"), "n": item.Str("x")}
	if _, _, err := e.Write(ctx, Write{Op: OpPut, Def: def, Key: key("d", "1"), Item: d}); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.Transact(ctx, []TxAction{{Write: Write{Op: OpUpdate, Def: def, Key: key("d", "1"), Update: add}}}, nil)
	if !errors.As(err, &ce) || ce.Reasons[0].Code != ReasonValidation || ce.Reasons[0].Err == nil {
		t.Fatalf("data error: %v", err)
	}

	// A mistyped key cancels before anything is read.
	k, keyErr, err := TxKey(def, item.Item{"pk": item.Num("1"), "sk": item.Num("1")}, false)
	if err != nil || keyErr == nil {
		t.Fatalf("TxKey: key=%v keyErr=%v err=%v", k, keyErr, err)
	}
	_, _, err = e.Transact(ctx, []TxAction{{Write: Write{Op: OpCheck, Def: def, Key: k}, KeyErr: keyErr}, actions[0]}, nil)
	if !errors.As(err, &ce) || ce.Reasons[0].Code != ReasonValidation || ce.Reasons[1].Code != ReasonNone {
		t.Fatalf("mistyped key: %v", err)
	}

	// Without a failing action everything commits together.
	olds, news, err := e.Transact(ctx, []TxAction{actions[0], actions[2]}, nil)
	if err != nil || olds[0]["n"].S != "1" || news[0]["n"].S != "2" || olds[1] != nil || news[1] == nil {
		t.Fatalf("commit: olds=%v news=%v err=%v", olds, news, err)
	}
}
