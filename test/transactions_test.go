package test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestTransactions runs bank transfers as TransactWriteItems in one region
// while a second region replicates, and samples every account with
// TransactGetItems in both regions throughout: every sample must show the
// same total and no negative balance (a transaction is applied as a unit
// locally and by the replica), and both regions must end with the same
// balances.
func TestTransactions(t *testing.T) {
	t.Parallel()
	regions := threeRegions[:2]
	home, replica := regions[0], regions[1]
	cl := startCluster(t, regions, nil)
	tbl := createKeyTable(t, cl, home)
	ctx := testCtx(t)
	seed := testSeed(t)

	const accounts, initial = 60, 1000
	const total = accounts * initial
	ids := make([]string, accounts)
	var seedItems []types.TransactWriteItem
	for i := range ids {
		ids[i] = fmt.Sprintf("acct-%03d", i)
		seedItems = append(seedItems, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(tbl),
			Item: map[string]types.AttributeValue{"pk": s(ids[i]), "balance": n(strconv.Itoa(initial))}}})
	}
	if _, err := cl.client(home).TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: seedItems}); err != nil {
		t.Fatalf("seed accounts: %v", err)
	}
	for _, r := range regions {
		eventually(t, 30*time.Second, func() error {
			bal, err := readAccounts(ctx, cl.client(r), tbl, ids)
			if err != nil {
				return err
			}
			if sum, _ := checkBalances(bal, total); sum != total {
				return fmt.Errorf("%s: total %d, want %d", r, sum, total)
			}
			return nil
		})
	}

	t.Run("CancellationAndIdempotency", func(t *testing.T) {
		testTransactionErrors(t, cl.client(home), tbl, ids[0], ids[1])
	})

	// Samplers: one per region, until the writers are done.
	stop := make(chan struct{})
	var samplers sync.WaitGroup
	samples := make([]atomic.Int64, len(regions))
	states := make([]map[string]bool, len(regions)) // distinct balance vectors seen
	for ri, r := range regions {
		states[ri] = map[string]bool{}
		c := cl.client(r)
		samplers.Add(1)
		go func() {
			defer samplers.Done()
			for {
				bal, err := readAccounts(ctx, c, tbl, ids)
				if err != nil {
					t.Errorf("%s: TransactGetItems: %v", r, err)
					return
				}
				if sum, err := checkBalances(bal, total); err != nil {
					t.Errorf("%s: sample %d: %v", r, samples[ri].Load(), err)
					return
				} else if sum != total {
					t.Errorf("%s: sample %d: total %d, want %d", r, samples[ri].Load(), sum, total)
					return
				}
				states[ri][fmt.Sprint(bal)] = true
				samples[ri].Add(1)
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
	}

	// Writers: transfers between random accounts in the home region.
	const writers, transfersEach = 8, 60
	var done, cancelled atomic.Int64
	var wg sync.WaitGroup
	c := cl.client(home)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			for range transfersEach {
				from, to := rng.IntN(accounts), rng.IntN(accounts-1)
				if to >= from {
					to++
				}
				amt := strconv.Itoa(1 + rng.IntN(400))
				err := transfer(ctx, c, tbl, ids[from], ids[to], amt)
				var tce *types.TransactionCanceledException
				switch {
				case err == nil:
					done.Add(1)
				case errors.As(err, &tce):
					// The source lacked the funds: the only allowed reason.
					if len(tce.CancellationReasons) != 2 || aws.ToString(tce.CancellationReasons[0].Code) != "ConditionalCheckFailed" ||
						aws.ToString(tce.CancellationReasons[1].Code) != "None" {
						t.Errorf("transfer cancelled with %v", reasonCodes(tce))
						return
					}
					cancelled.Add(1)
				default:
					t.Errorf("transfer: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	samplers.Wait()
	if t.Failed() {
		return
	}
	t.Logf("%d transfers committed, %d cancelled for lack of funds; samples %s=%d (%d states), %s=%d (%d states)",
		done.Load(), cancelled.Load(), home, samples[0].Load(), len(states[0]), replica, samples[1].Load(), len(states[1]))
	if done.Load() == 0 {
		t.Fatal("no transfer committed")
	}
	if len(states[1]) < 2 {
		t.Errorf("the replica's samples saw %d distinct states: replication did not happen during the run", len(states[1]))
	}

	waitConverged(t, cl, []string{tbl}, 60*time.Second)
	want, err := readAccounts(ctx, cl.client(home), tbl, ids)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAccounts(ctx, cl.client(replica), tbl, ids)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("balances differ after convergence:\n%s: %v\n%s: %v", home, want, replica, got)
	}
	if sum, err := checkBalances(got, total); err != nil || sum != total {
		t.Fatalf("final balances: total %d (%v)", sum, err)
	}
}

// transfer moves amt from one account to another, refusing to overdraw.
func transfer(ctx context.Context, c *dynamodb.Client, tbl, from, to, amt string) error {
	_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{TableName: aws.String(tbl), Key: map[string]types.AttributeValue{"pk": s(from)},
			UpdateExpression:          aws.String("SET balance = balance - :amt"),
			ConditionExpression:       aws.String("balance >= :amt"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":amt": n(amt)}}},
		{Update: &types.Update{TableName: aws.String(tbl), Key: map[string]types.AttributeValue{"pk": s(to)},
			UpdateExpression:          aws.String("SET balance = balance + :amt"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":amt": n(amt)}}},
	}})
	return err
}

// readAccounts reads every account's balance with one TransactGetItems
// (at most 100 accounts); a missing account reads as -1.
func readAccounts(ctx context.Context, c *dynamodb.Client, tbl string, ids []string) ([]int, error) {
	items := make([]types.TransactGetItem, len(ids))
	for i, id := range ids {
		items[i] = types.TransactGetItem{Get: &types.Get{TableName: aws.String(tbl),
			Key: map[string]types.AttributeValue{"pk": s(id)}, ProjectionExpression: aws.String("balance")}}
	}
	out, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: items})
	if err != nil {
		return nil, err
	}
	if len(out.Responses) != len(ids) {
		return nil, fmt.Errorf("%d responses for %d gets", len(out.Responses), len(ids))
	}
	bal := make([]int, len(ids))
	for i, r := range out.Responses {
		bal[i] = -1
		if av, ok := r.Item["balance"].(*types.AttributeValueMemberN); ok {
			if bal[i], err = strconv.Atoi(av.Value); err != nil {
				return nil, err
			}
		}
	}
	return bal, nil
}

// checkBalances returns the sum of bal, or an error if a balance is
// negative or missing.
func checkBalances(bal []int, total int) (int, error) {
	sum := 0
	for i, b := range bal {
		if b < 0 {
			return sum, fmt.Errorf("account %d has balance %d (total should be %d)", i, b, total)
		}
		sum += b
	}
	return sum, nil
}

func reasonCodes(e *types.TransactionCanceledException) []string {
	var codes []string
	for _, r := range e.CancellationReasons {
		codes = append(codes, aws.ToString(r.Code))
	}
	return codes
}

// testTransactionErrors checks, through the SDK, the cancellation reasons
// (with the ALL_OLD item), a duplicate-item request and ClientRequestToken
// idempotency. It leaves the balances of a and b as it found them.
func testTransactionErrors(t *testing.T, c *dynamodb.Client, tbl, a, b string) {
	ctx := testCtx(t)
	key := func(id string) map[string]types.AttributeValue { return map[string]types.AttributeValue{"pk": s(id)} }
	_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String(tbl), Key: key(a),
			ConditionExpression: aws.String("attribute_exists(pk)")}},
		{Update: &types.Update{TableName: aws.String(tbl), Key: key(b),
			UpdateExpression:                    aws.String("SET balance = balance - :amt"),
			ConditionExpression:                 aws.String("balance >= :amt"),
			ExpressionAttributeValues:           map[string]types.AttributeValue{":amt": n("1000000")},
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("overdraw: %v, want TransactionCanceledException", err)
	}
	if got := strings.Join(reasonCodes(tce), ","); got != "None,ConditionalCheckFailed" {
		t.Errorf("reasons %s", got)
	}
	if !strings.Contains(tce.ErrorMessage(), "[None, ConditionalCheckFailed]") {
		t.Errorf("message %q", tce.ErrorMessage())
	}
	if it := tce.CancellationReasons[1].Item; len(it) == 0 || numOf(t, it["balance"]) != "1000" {
		t.Errorf("ALL_OLD item %v", it)
	}

	_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String(tbl), Key: key(a), ConditionExpression: aws.String("attribute_exists(pk)")}},
		{Delete: &types.Delete{TableName: aws.String(tbl), Key: key(a)}},
	}})
	wantAPIError(t, err, "ValidationException", "Transaction request cannot include multiple operations on one item")

	// The same token twice moves the money once.
	token := aws.String(fmt.Sprintf("tok-%d", time.Now().UnixNano()))
	in := func(amt string) *dynamodb.TransactWriteItemsInput {
		return &dynamodb.TransactWriteItemsInput{ClientRequestToken: token, TransactItems: []types.TransactWriteItem{
			{Update: &types.Update{TableName: aws.String(tbl), Key: key(a), UpdateExpression: aws.String("ADD balance :d"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":d": n("-" + amt)}}},
			{Update: &types.Update{TableName: aws.String(tbl), Key: key(b), UpdateExpression: aws.String("ADD balance :d"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":d": n(amt)}}},
		}}
	}
	for range 2 {
		if _, err := c.TransactWriteItems(ctx, in("5")); err != nil {
			t.Fatal(err)
		}
	}
	bal, err := readAccounts(ctx, c, tbl, []string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if bal[0] != 995 || bal[1] != 1005 {
		t.Errorf("after the same token twice: %v, want [995 1005]", bal)
	}
	_, err = c.TransactWriteItems(ctx, in("6"))
	var ipm *types.IdempotentParameterMismatchException
	if !errors.As(err, &ipm) {
		t.Errorf("same token, other parameters: %v, want IdempotentParameterMismatchException", err)
	}
	if err := transfer(ctx, c, tbl, b, a, "5"); err != nil {
		t.Fatal(err)
	}
}
