package expr_test

import (
	"fmt"

	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

func Example() {
	p := expr.NewParams(
		map[string]string{"#c": "count"},
		map[string]item.Value{":one": item.Num("1"), ":max": item.Num("3")},
	)
	cond, err := expr.ParseCondition("ConditionExpression", "attribute_not_exists(#c) OR #c < :max", p)
	if err != nil {
		panic(err)
	}
	upd, err := expr.ParseUpdate("SET #c = if_not_exists(#c, :one) + :one", p)
	if err != nil {
		panic(err)
	}
	if err := p.CheckUnused(); err != nil {
		panic(err)
	}
	it := item.Item{"pk": item.Str("k")}
	for i := 0; i < 4; i++ {
		ok, _ := cond.Eval(it)
		if !ok {
			fmt.Println("condition failed")
			break
		}
		it, _ = upd.Apply(it)
		fmt.Println(it["count"].S)
	}
	// Output:
	// 2
	// 3
	// condition failed
}
