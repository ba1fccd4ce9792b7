package chaos

import (
	"fmt"
	"strconv"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// version is a parsed x-concord-version header,
// <wallnanos>.<logical>@<region>, ordered as the server orders versions:
// by wall time, logical counter, then region bytewise.
type version struct {
	wall    int64
	logical uint64
	region  string
}

func (v version) String() string { return fmt.Sprintf("%d.%d@%s", v.wall, v.logical, v.region) }

func (v version) less(o version) bool {
	if v.wall != o.wall {
		return v.wall < o.wall
	}
	if v.logical != o.logical {
		return v.logical < o.logical
	}
	return v.region < o.region
}

func parseVersion(s string) (version, error) {
	ts, region, ok := strings.Cut(s, "@")
	w, l, ok2 := strings.Cut(ts, ".")
	if !ok || !ok2 || region == "" {
		return version{}, fmt.Errorf("version %q: want <wallnanos>.<logical>@<region>", s)
	}
	wall, err1 := strconv.ParseInt(w, 10, 64)
	logical, err2 := strconv.ParseUint(l, 10, 64)
	if err1 != nil || err2 != nil || wall <= 0 {
		return version{}, fmt.Errorf("version %q: want <wallnanos>.<logical>@<region>", s)
	}
	return version{wall: wall, logical: logical, region: region}, nil
}

// versionOf returns the x-concord-version of a successful PutItem,
// UpdateItem or DeleteItem response.
func versionOf(md middleware.Metadata) (version, error) {
	raw, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response)
	if !ok || raw == nil {
		return version{}, fmt.Errorf("no raw HTTP response in the result metadata")
	}
	h := raw.Header.Get("x-concord-version")
	if h == "" {
		return version{}, fmt.Errorf("no x-concord-version header")
	}
	return parseVersion(h)
}
