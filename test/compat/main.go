package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/concorddb/concord/test/internal/launch"
)

func main() {
	verbose := flag.Bool("v", false, "print both responses for every case, not only for differences")
	only := flag.String("run", "", "run only the cases whose id contains this substring (setup cases always run)")
	flag.Parse()
	// SIGINT and SIGTERM cancel ctx and stop both servers at once; every
	// exit path below stops them too (launch.StopAll, launch.Exit).
	ctx, stop := launch.SignalContext(context.Background())
	defer stop()
	defer launch.StopAll()
	n, err := run(ctx, *verbose, *only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compat:", err)
		launch.Exit(2)
	}
	if n > 0 {
		launch.Exit(1)
	}
}

// run starts both servers, runs the corpus and prints the report. It
// returns the number of cases that differ.
func run(ctx context.Context, verbose bool, only string) (int, error) {
	cases := corpus()
	if err := checkIDs(cases); err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp("", "concord-compat-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	type started struct {
		t   *target
		err error
	}
	cc, dc := make(chan started, 1), make(chan started, 1)
	go func() { t, err := startConcord(ctx, tmp); cc <- started{t, err} }()
	go func() { t, err := startDynalite(ctx, tmp); dc <- started{t, err} }()
	c, d := <-cc, <-dc
	if c.t != nil {
		defer c.t.stop()
	}
	if d.t != nil {
		defer d.t.stop()
	}
	if err := errors.Join(c.err, d.err); err != nil {
		return 0, err
	}
	concord, dynalite := c.t, d.t
	fmt.Printf("concord %s, dynalite %s\n\n", concord.endpoint, dynalite.endpoint)

	var results []result
	begin := time.Now()
	for i := range cases {
		tc := &cases[i]
		if only != "" && !tc.setup && !strings.Contains(tc.id(), only) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		r := result{c: tc}
		r.concord = concord.send(ctx, tc)
		if !tc.notInDynalite {
			r.dynalite = dynalite.send(ctx, tc)
		}
		r.verdict, r.detail = judge(tc, r.concord, r.dynalite)
		results = append(results, r)
		fmt.Printf("%-8s %s\n", r.verdict, tc.id())
		if verbose || r.verdict != verdictSame && r.verdict != verdictDocOK {
			printResponses(os.Stdout, &r)
		}
		if tc.settle != "" {
			concord.settle(ctx, tc.settle)
			dynalite.settle(ctx, tc.settle)
		}
	}
	elapsed := time.Since(begin)
	return report(os.Stdout, results, elapsed), nil
}

func checkIDs(cases []testCase) error {
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.id()] {
			return fmt.Errorf("duplicate case id %q", c.id())
		}
		seen[c.id()] = true
	}
	return nil
}

// testCase is one request, sent to both servers in corpus order.
type testCase struct {
	op   string // operation: the X-Amz-Target suffix and the report's group
	name string
	body string
	// target overrides the X-Amz-Target header; "-" omits it.
	target string
	// settle names a table to wait for (ACTIVE or gone) on both servers
	// after this case, as dynalite makes even 0 ms transitions
	// asynchronously.
	settle string
	// setup cases run even when -run filters the corpus out.
	setup bool
	// notInDynalite: dynalite does not implement the operation; Concord's
	// answer is checked against want, from the DynamoDB API reference.
	notInDynalite bool
	want          want

	// Comparison modes for the data-semantics cases (cases_semantics.go).
	//
	// bodyIgnored: a 200 from both sides is "same" whatever the bodies
	// say; for seeding requests whose answer is not the point (dynalite's
	// CreateTable says CREATING where Concord says ACTIVE).
	bodyIgnored bool
	// unordered: the order of a Query's Items is undefined (a GSI with a
	// hash key only, where several items share the hash value), so Items
	// are sorted before comparing, as Scan's always are.
	unordered bool
	// paginate: the Query or Scan is repeated with ExclusiveStartKey set
	// to the previous page's LastEvaluatedKey until a page has none (at
	// most maxPages), and the compared 200 body is a synthetic summary of
	// all pages (see pageSummary), so that pagination can be compared even
	// where the item order differs legitimately (Scan).
	paginate bool
	// segments > 0: a parallel Scan. The body is sent once per Segment
	// 0..segments-1 with TotalSegments = segments, each segment paginated
	// to its end, and the compared 200 body is the union of all segments'
	// items (sorted) with the total Count and ScannedCount: which segment
	// holds an item is the server's business, but every item must be in
	// exactly one.
	segments int
}

func (c *testCase) id() string { return c.op + "/" + c.name }

// operation is the operation the request invokes (c.op is its group).
func (c *testCase) operation() string {
	_, op, _ := strings.Cut(c.header(), ".")
	return op
}

func (c *testCase) header() string {
	switch c.target {
	case "":
		return "DynamoDB_20120810." + c.op
	case "-":
		return ""
	}
	return c.target
}

// want is the documented outcome of a case that only Concord can answer.
type want struct {
	status int
	typ    string
	// msg, if set, must be a substring of the message.
	msg string
	// item, if set, is the JSON of the Item member the error body must
	// carry (ReturnValuesOnConditionCheckFailure), compared normalised.
	item string
}

// response is one server's answer, decoded.
type response struct {
	status int
	typ    string // after '#'
	msg    string
	body   []byte
	norm   string // normalised JSON of a 200 body
	err    error  // transport error
}

func (r response) summary() string {
	if r.err != nil {
		return "transport error: " + r.err.Error()
	}
	if r.status == http.StatusOK {
		return "200 " + clip(r.norm, 600)
	}
	s := strconv.Itoa(r.status) + " " + r.typ
	if r.msg != "" {
		s += ": " + strconv.Quote(r.msg)
	} else {
		s += " (no message)"
	}
	return s
}

type verdict string

const (
	verdictSame    verdict = "same"
	verdictWording verdict = "wording" // same status and type; the messages say the same thing
	verdictMessage verdict = "MESSAGE" // same status and type; the messages differ
	verdictDiff    verdict = "DIFF"    // status, type or 200 body differ
	verdictJudged  verdict = "judged"  // a difference where Concord is known right (judged.go)
	verdictDocOK   verdict = "doc-ok"  // Concord-only case matches the documented outcome
	verdictDocDiff verdict = "DOCDIFF" // Concord-only case does not
)

type result struct {
	c                 *testCase
	concord, dynalite response
	verdict           verdict
	detail            string
}

func judge(c *testCase, a, b response) (verdict, string) {
	v, detail := compare(c, a, b)
	if v == verdictDiff || v == verdictMessage {
		if j, ok := judged[c.id()]; ok && strings.Contains(a.summary(), j.concord) {
			return verdictJudged, j.why
		}
	}
	return v, detail
}

// compare is judge before the judged differences are applied.
func compare(c *testCase, a, b response) (verdict, string) {
	if c.notInDynalite {
		switch {
		case a.err != nil:
			return verdictDocDiff, a.err.Error()
		case a.status != c.want.status || a.typ != c.want.typ:
			return verdictDocDiff, fmt.Sprintf("documented: %d %s", c.want.status, c.want.typ)
		case c.want.msg != "" && !strings.Contains(a.msg, c.want.msg):
			return verdictDocDiff, fmt.Sprintf("documented message contains %q", c.want.msg)
		case c.want.item != "" && errorItem(a.body) != normalise("", []byte(c.want.item), false):
			return verdictDocDiff, fmt.Sprintf("documented Item %s, got %s", c.want.item, errorItem(a.body))
		}
		return verdictDocOK, ""
	}
	switch {
	case a.err != nil || b.err != nil:
		return verdictDiff, "transport error"
	case a.status != b.status:
		return verdictDiff, "status"
	case a.typ != b.typ:
		return verdictDiff, "type"
	case a.status == http.StatusOK && c.bodyIgnored:
		return verdictSame, ""
	case a.status == http.StatusOK && a.norm != b.norm:
		return verdictDiff, "body: " + bodyDiff(a.norm, b.norm)
	case a.status != http.StatusOK && a.msg != b.msg:
		if w, ok := wording[c.id()]; ok && strings.Contains(a.msg, w.concord) && strings.Contains(b.msg, w.dynalite) {
			return verdictWording, w.why
		}
		return verdictMessage, "message"
	}
	return verdictSame, ""
}

// bodyDiff lists where two normalised bodies differ (at most 6 places).
func bodyDiff(a, b string) string {
	va, _ := decode([]byte(a))
	vb, _ := decode([]byte(b))
	var out []string
	diffValues(va, vb, "", &out)
	if len(out) > 6 {
		out = append(out[:6], fmt.Sprintf("and %d more", len(out)-6))
	}
	return strings.Join(out, "; ")
}

func diffValues(a, b any, path string, out *[]string) {
	switch a := a.(type) {
	case map[string]any:
		if b, ok := b.(map[string]any); ok {
			keys := map[string]bool{}
			for k := range a {
				keys[k] = true
			}
			for k := range b {
				keys[k] = true
			}
			sorted := make([]string, 0, len(keys))
			for k := range keys {
				sorted = append(sorted, k)
			}
			sort.Strings(sorted)
			for _, k := range sorted {
				diffValues(a[k], b[k], path+"."+k, out)
			}
			return
		}
	case []any:
		if b, ok := b.([]any); ok && len(a) == len(b) {
			for i := range a {
				diffValues(a[i], b[i], fmt.Sprintf("%s[%d]", path, i), out)
			}
			return
		}
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		if a == nil {
			ja = []byte("(absent)")
		}
		if b == nil {
			jb = []byte("(absent)")
		}
		*out = append(*out, fmt.Sprintf("%s: concord %s, dynalite %s", strings.TrimPrefix(path, "."), clip(string(ja), 120), clip(string(jb), 120)))
	}
}

// wordingNote records a message difference judged to be wording only:
// both messages say the same thing. It applies only while each server's
// message still contains the recorded substring.
type wordingNote struct {
	concord, dynalite string
	why               string
}

func printResponses(w io.Writer, r *result) {
	fmt.Fprintf(w, "         request:  %s\n", clip(r.c.body, 300))
	fmt.Fprintf(w, "         concord:  %s\n", r.concord.summary())
	if r.c.notInDynalite {
		if r.detail != "" {
			fmt.Fprintf(w, "         %s\n", r.detail)
		}
		return
	}
	fmt.Fprintf(w, "         dynalite: %s\n", r.dynalite.summary())
}

// report prints the summary and the markdown list of differences and
// returns the number of cases that differ (anything but same/doc-ok).
func report(w io.Writer, results []result, elapsed time.Duration) int {
	counts := map[verdict]int{}
	for _, r := range results {
		counts[r.verdict]++
	}
	differ := len(results) - counts[verdictSame] - counts[verdictDocOK]
	fmt.Fprintf(w, "\n# Concord vs dynalite: %d cases in %v\n\n", len(results), elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "- same: %d\n- wording only (same status and type, same meaning): %d\n"+
		"- message differs: %d\n- status, type or body differs: %d\n"+
		"- differs where Concord is known right (judged.go: docs, measurements, dynalite's source): %d\n"+
		"- Concord-only (dynalite lacks the operation) matching the API reference: %d, not matching: %d\n\n",
		counts[verdictSame], counts[verdictWording], counts[verdictMessage], counts[verdictDiff],
		counts[verdictJudged], counts[verdictDocOK], counts[verdictDocDiff])
	fmt.Fprintf(w, "%s\n\n", maskedNote)
	if differ == 0 {
		fmt.Fprintln(w, "No differences.")
		return 0
	}
	fmt.Fprintf(w, "## Differences (%d)\n", differ)
	var ops []string
	byOp := map[string][]*result{}
	for i := range results {
		r := &results[i]
		if r.verdict == verdictSame || r.verdict == verdictDocOK {
			continue
		}
		if byOp[r.c.op] == nil {
			ops = append(ops, r.c.op)
		}
		byOp[r.c.op] = append(byOp[r.c.op], r)
	}
	for _, op := range ops {
		fmt.Fprintf(w, "\n### %s\n\n", op)
		for _, r := range byOp[op] {
			fmt.Fprintf(w, "- **%s** [%s", r.c.name, r.verdict)
			if r.detail != "" {
				fmt.Fprintf(w, ": %s", r.detail)
			}
			fmt.Fprintln(w, "]")
			if h := r.c.header(); h != "DynamoDB_20120810."+r.c.op {
				fmt.Fprintf(w, "  - X-Amz-Target: `%s`\n", h)
			}
			fmt.Fprintf(w, "  - request: `%s`\n", clip(r.c.body, 300))
			fmt.Fprintf(w, "  - concord: `%s`\n", r.concord.summary())
			if !r.c.notInDynalite {
				fmt.Fprintf(w, "  - dynalite: `%s`\n", r.dynalite.summary())
			}
		}
	}
	return differ
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("…(%d bytes)", len(s))
}

// target is one server under test.
type target struct {
	name     string
	endpoint string
	stop     func()
	client   *http.Client
	arns     map[string]string // table name -> TableArn, for {{ARN:table}}
}

func newTarget(name, endpoint string, stop func()) *target {
	return &target{name: name, endpoint: endpoint, stop: stop,
		client: &http.Client{Timeout: 30 * time.Second}, arns: map[string]string{}}
}

// post sends one request. dynalite requires an Authorization header
// (any signature) and an X-Amz-Date or Date header.
func (t *target) post(ctx context.Context, xAmzTarget, body string) response {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.endpoint+"/", strings.NewReader(body))
	if err != nil {
		return response{err: err}
	}
	if xAmzTarget != "" {
		req.Header.Set("X-Amz-Target", xAmzTarget)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Date", "20260101T000000Z")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc")
	resp, err := t.client.Do(req)
	if err != nil {
		return response{err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{err: err}
	}
	r := response{status: resp.StatusCode, body: raw}
	var e struct {
		Type    string  `json:"__type"`
		Message *string `json:"message"`
		Msg2    *string `json:"Message"`
	}
	if resp.StatusCode != http.StatusOK {
		if json.Unmarshal(raw, &e) == nil {
			_, r.typ, _ = strings.Cut(e.Type, "#")
			if r.typ == "" {
				r.typ = e.Type
			}
			switch {
			case e.Message != nil:
				r.msg = *e.Message
			case e.Msg2 != nil:
				r.msg = *e.Msg2
			}
		} else {
			r.typ = "(non-JSON body)"
			r.msg = strings.TrimSpace(string(raw))
		}
	}
	return r
}

func (t *target) send(ctx context.Context, c *testCase) response {
	body := t.expandARNs(ctx, c.body)
	var r response
	switch {
	case c.segments > 0:
		r = t.sendSegments(ctx, c, body)
	case c.paginate:
		r = t.sendPages(ctx, c, body)
	default:
		r = t.post(ctx, c.header(), body)
	}
	if r.status == http.StatusOK {
		r.norm = normalise(c.operation(), r.body, c.unordered)
	}
	return r
}

// expandARNs replaces each {{ARN:table}} in body with the table's ARN.
func (t *target) expandARNs(ctx context.Context, body string) string {
	for {
		i := strings.Index(body, "{{ARN:")
		if i < 0 {
			break
		}
		j := strings.Index(body[i:], "}}")
		if j < 0 {
			break
		}
		body = body[:i] + t.arn(ctx, body[i+len("{{ARN:"):i+j]) + body[i+j+2:]
	}
	return body
}

// maxPages bounds a paginated case, in case a server's LastEvaluatedKey
// never ends.
const maxPages = 100

// pageSummary is the synthetic 200 body of a paginated case (paginate),
// built from every page:
//
//   - Pages: the number of requests sent, so that a LastEvaluatedKey
//     returned (or not) at exactly the end of the results shows;
//   - Count and ScannedCount: the totals over all pages;
//   - Items: every page's items, concatenated (for Scan the normalisation
//     sorts them; duplicates stay, so an item returned twice shows);
//   - PageScannedCounts: ScannedCount of each page, which with Limit does
//     not depend on the item order;
//   - for Query only, where the order is defined (not unordered):
//     PageCounts (Count of each page) and LastEvaluatedKeys.
type pageSummary struct {
	Pages             int
	Count             int
	ScannedCount      int
	Items             []any `json:",omitempty"`
	PageScannedCounts []int
	PageCounts        []int `json:",omitempty"`
	LastEvaluatedKeys []any `json:",omitempty"`
}

// page is one decoded Query or Scan answer.
type page struct {
	Items            []any
	Count            int
	ScannedCount     int
	LastEvaluatedKey map[string]any
}

// pages sends body, then again with ExclusiveStartKey set to each
// LastEvaluatedKey until there is none. On an error response it returns
// that response, with the page number prefixed to its message.
func (t *target) pages(ctx context.Context, c *testCase, body string) ([]page, *response) {
	v, err := decode([]byte(body))
	req, ok := v.(map[string]any)
	if err != nil || !ok {
		return nil, &response{err: fmt.Errorf("paginated case body is not a JSON object")}
	}
	var out []page
	for n := 1; ; n++ {
		if n > maxPages {
			return nil, &response{err: fmt.Errorf("still a LastEvaluatedKey after %d pages", maxPages)}
		}
		b, _ := json.Marshal(req)
		r := t.post(ctx, c.header(), string(b))
		if r.err != nil || r.status != http.StatusOK {
			if n > 1 {
				r.msg = fmt.Sprintf("(page %d) %s", n, r.msg)
			}
			return nil, &r
		}
		d := json.NewDecoder(bytes.NewReader(r.body))
		d.UseNumber()
		var p page
		if err := d.Decode(&p); err != nil {
			return nil, &response{err: fmt.Errorf("page %d: %v", n, err)}
		}
		out = append(out, p)
		if p.LastEvaluatedKey == nil {
			return out, nil
		}
		req["ExclusiveStartKey"] = p.LastEvaluatedKey
	}
}

// sendPages answers a paginate case with a pageSummary.
func (t *target) sendPages(ctx context.Context, c *testCase, body string) response {
	ps, errResp := t.pages(ctx, c, body)
	if errResp != nil {
		return *errResp
	}
	var s pageSummary
	s.Pages = len(ps)
	for _, p := range ps {
		s.Count += p.Count
		s.ScannedCount += p.ScannedCount
		s.Items = append(s.Items, p.Items...)
		s.PageScannedCounts = append(s.PageScannedCounts, p.ScannedCount)
		if c.operation() == "Query" && !c.unordered {
			s.PageCounts = append(s.PageCounts, p.Count)
			if p.LastEvaluatedKey != nil {
				s.LastEvaluatedKeys = append(s.LastEvaluatedKeys, p.LastEvaluatedKey)
			}
		}
	}
	b, _ := json.Marshal(s)
	return response{status: http.StatusOK, body: b}
}

// segmentSummary is the synthetic 200 body of a parallel Scan case
// (segments): the union of the segments' items and the totals.
type segmentSummary struct {
	Segments     int
	Count        int
	ScannedCount int
	Items        []any
}

// sendSegments answers a segments case: one paginated Scan per segment.
func (t *target) sendSegments(ctx context.Context, c *testCase, body string) response {
	v, err := decode([]byte(body))
	req, ok := v.(map[string]any)
	if err != nil || !ok {
		return response{err: fmt.Errorf("segmented case body is not a JSON object")}
	}
	s := segmentSummary{Segments: c.segments, Items: []any{}}
	for seg := range c.segments {
		req["Segment"], req["TotalSegments"] = seg, c.segments
		b, _ := json.Marshal(req)
		ps, errResp := t.pages(ctx, c, string(b))
		if errResp != nil {
			errResp.msg = fmt.Sprintf("(segment %d) %s", seg, errResp.msg)
			return *errResp
		}
		for _, p := range ps {
			s.Count += p.Count
			s.ScannedCount += p.ScannedCount
			s.Items = append(s.Items, p.Items...)
		}
	}
	b, _ := json.Marshal(s)
	return response{status: http.StatusOK, body: b}
}

// errorItem is the normalised Item member of an error body ("" if none).
func errorItem(body []byte) string {
	v, err := decode(body)
	m, ok := v.(map[string]any)
	if err != nil || !ok || m["Item"] == nil {
		return ""
	}
	b, _ := json.Marshal(m["Item"])
	return normalise("", b, false)
}

// arn returns the TableArn of table on this server ("" if it has none).
func (t *target) arn(ctx context.Context, table string) string {
	if a, ok := t.arns[table]; ok {
		return a
	}
	r := t.post(ctx, "DynamoDB_20120810.DescribeTable", `{"TableName":"`+table+`"}`)
	var d struct{ Table struct{ TableArn string } }
	if r.status == http.StatusOK && json.Unmarshal(r.body, &d) == nil && d.Table.TableArn != "" {
		t.arns[table] = d.Table.TableArn
	}
	return t.arns[table]
}

// settle waits up to 10s until table is ACTIVE (indexes included) or
// gone.
func (t *target) settle(ctx context.Context, table string) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		r := t.post(ctx, "DynamoDB_20120810.DescribeTable", `{"TableName":"`+table+`"}`)
		if r.status != http.StatusOK {
			return
		}
		var d struct {
			Table struct {
				TableStatus            string
				GlobalSecondaryIndexes []struct{ IndexStatus string }
			}
		}
		if json.Unmarshal(r.body, &d) == nil && d.Table.TableStatus == "ACTIVE" &&
			!slices.ContainsFunc(d.Table.GlobalSecondaryIndexes, func(g struct{ IndexStatus string }) bool { return g.IndexStatus != "ACTIVE" }) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// masked are fields whose values are specific to a server or a moment,
// removed wherever they occur in a 200 body.
var masked = map[string]bool{
	"CreationDateTime":                  true,
	"TableArn":                          true,
	"TableId":                           true,
	"IndexArn":                          true,
	"LatestStreamArn":                   true,
	"LatestStreamLabel":                 true,
	"ConsumedCapacity":                  true,
	"TableSizeBytes":                    true,
	"IndexSizeBytes":                    true,
	"ItemCount":                         true,
	"NumberOfDecreasesToday":            true,
	"LastIncreaseDateTime":              true,
	"LastDecreaseDateTime":              true,
	"LastUpdateToPayPerRequestDateTime": true,
	// Members of API versions newer than dynalite (deletion protection,
	// 2023; table classes, 2021; warm throughput, 2024), which dynalite
	// never returns, and one dynalite returns that the API reference does
	// not define.
	"DeletionProtectionEnabled":  true,
	"TableClassSummary":          true,
	"WarmThroughput":             true,
	"TableThroughputModeSummary": true,
}

// maskedNote describes the masking for the report.
const maskedNote = "200 bodies are compared without CreationDateTime, TableArn, TableId, IndexArn, " +
	"LatestStreamArn/Label, ConsumedCapacity, TableSizeBytes, IndexSizeBytes, ItemCount, " +
	"NumberOfDecreasesToday, Last*DateTime, and without DeletionProtectionEnabled, TableClassSummary " +
	"and WarmThroughput (newer than dynalite) or TableThroughputModeSummary (dynalite-only, undocumented); " +
	"set members and the order of Scan, BatchGetItem and ListTagsOfResource lists are sorted " +
	"(and of Query Items where the case says the order is undefined); " +
	"an empty body, \"\" and {} are equal. Paginated and segmented cases compare a summary of all their pages."

// normalise returns body as canonical JSON without the masked fields,
// with the lists whose order DynamoDB does not define sorted (and a
// Query's Items too when unordered).
func normalise(op string, body []byte, unordered bool) string {
	v, err := decode(body)
	if err != nil {
		return "(invalid JSON) " + string(body)
	}
	if s, ok := v.(string); ok && s == "" {
		v = map[string]any{} // dynalite's answer to TagResource and UntagResource
	}
	v = strip(v)
	if m, ok := v.(map[string]any); ok {
		switch op {
		case "Scan":
			sortList(m, "Items")
		case "Query":
			if unordered {
				sortList(m, "Items")
			}
		case "BatchGetItem":
			if rs, ok := m["Responses"].(map[string]any); ok {
				for k := range rs {
					sortList(rs, k)
				}
			}
		case "ListTagsOfResource":
			sortList(m, "Tags")
		}
	}
	out, _ := json.Marshal(v) // sorts map keys
	return string(out)
}

func decode(body []byte) (any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// strip removes the masked members and sorts set members (whose order
// DynamoDB does not define) in place.
func strip(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if masked[k] {
				delete(v, k)
				continue
			}
			v[k] = strip(x)
			if (k == "SS" || k == "NS" || k == "BS") && len(v) == 1 {
				sortList(v, k)
			}
		}
	case []any:
		for i, x := range v {
			v[i] = strip(x)
		}
	}
	return v
}

func sortList(m map[string]any, key string) {
	l, ok := m[key].([]any)
	if !ok {
		return
	}
	keys := make([]string, len(l))
	for i, x := range l {
		b, _ := json.Marshal(x)
		keys[i] = string(b)
	}
	sort.Sort(byKey{l, keys})
}

type byKey struct {
	l    []any
	keys []string
}

func (b byKey) Len() int           { return len(b.l) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.l[i], b.l[j] = b.l[j], b.l[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}

// startConcord builds ./cmd/concord (from the module root) and starts
// `concord serve` on a temporary data directory.
func startConcord(ctx context.Context, tmp string) (*target, error) {
	bin, err := launch.Build(ctx, tmp)
	if err != nil {
		return nil, err
	}
	p, err := launch.Start(ctx, bin, launch.Options{DataDir: filepath.Join(tmp, "concord-data"),
		LogPath: filepath.Join(tmp, "concord.log")})
	if err != nil {
		return nil, err
	}
	return newTarget("concord", p.URL(), func() { p.Stop() }), nil
}

// startDynalite runs `npx --yes dynalite` (in memory, with instant table
// state transitions) on a free port and waits for it.
func startDynalite(ctx context.Context, tmp string) (*target, error) {
	p, err := launch.StartDynalite(ctx, filepath.Join(tmp, "dynalite.log"),
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
	if err != nil {
		return nil, err
	}
	return newTarget("dynalite", p.URL(), func() { p.Stop() }), nil
}
