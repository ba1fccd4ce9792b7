package api

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/concorddb/concord/region/table"
)

// DynamoDB's tag limits.
const (
	maxTagKeyLen   = 128
	maxTagValueLen = 256
	maxARNLen      = 1283
)

type tagResourceRequest struct {
	ResourceArn *string     `json:"ResourceArn"`
	Tags        []table.Tag `json:"Tags"`
}

type untagResourceRequest struct {
	ResourceArn *string  `json:"ResourceArn"`
	TagKeys     []string `json:"TagKeys"`
}

type listTagsRequest struct {
	ResourceArn *string `json:"ResourceArn"`
	NextToken   *string `json:"NextToken"`
}

type listTagsResponse struct {
	Tags []table.Tag `json:"Tags"`
}

// tagCharsOK reports whether s matches DynamoDB's tag pattern
// [\p{L}\p{Z}\p{N}_.:/=+\-@]*.
func tagCharsOK(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.In(r, unicode.Z) || unicode.IsNumber(r) || strings.ContainsRune("_.:/=+-@", r) {
			continue
		}
		return false
	}
	return true
}

const tagPattern = "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*"

// checkTagKey records the problems of one tag key at path.
func checkTagKey(v *validationErrors, path, key string) {
	n := utf8.RuneCountInString(key)
	switch {
	case n < 1:
		v.add("''", path, "Member must have length greater than or equal to 1")
	case n > maxTagKeyLen:
		v.add(quote(key), path, "Member must have length less than or equal to 128")
	}
	if !tagCharsOK(key) {
		v.add(quote(key), path, tagPattern)
	}
}

// checkTags records the member constraints of a Tags list.
func checkTags(v *validationErrors, tags []table.Tag) {
	for i, t := range tags {
		p := "tags." + strconv.Itoa(i+1) + ".member."
		checkTagKey(v, p+"key", t.Key)
		if utf8.RuneCountInString(t.Value) > maxTagValueLen {
			v.add(quote(t.Value), p+"value", "Member must have length less than or equal to 256")
		}
		if !tagCharsOK(t.Value) {
			v.add(quote(t.Value), p+"value", tagPattern)
		}
	}
}

// uniqueTagKeys rejects a request naming one key twice or a reserved key.
func uniqueTagKeys(tags []table.Tag) error {
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return errInvalidParam("Tag keys starting with 'aws:' are reserved for AWS use: %s", t.Key)
		}
		if seen[t.Key] {
			return errInvalidParam("Duplicate tag key: %s", t.Key)
		}
		seen[t.Key] = true
	}
	if len(tags) > table.MaxTags {
		return table.ErrTooManyTags
	}
	return nil
}

// checkARN records the constraints of a ResourceArn member.
func checkARN(v *validationErrors, arn *string) {
	switch {
	case arn == nil:
		v.null("resourceArn")
	case len(*arn) < 1:
		v.add("''", "resourceArn", "Member must have length greater than or equal to 1")
	case len(*arn) > maxARNLen:
		v.add(quote(*arn), "resourceArn", "Member must have length less than or equal to 1283")
	}
}

// nonEmptyTagList rejects an empty Tags or TagKeys list with DynamoDB's
// message (its "Atleast" included), after a malformed ARN, which DynamoDB
// reports first.
func (s *Server) nonEmptyTagList(arn string, n int, msg string) error {
	if _, err := s.tableFromARN(arn); err != nil {
		return err
	}
	if n == 0 {
		return errValidation("%s", msg)
	}
	return nil
}

// updateTags resolves arn to a table and runs fn, which changes its
// tags through the engine, on its name.
func (s *Server) updateTags(arn string, fn func(name string) error) error {
	name, err := s.tableFromARN(arn)
	if err != nil {
		return err
	}
	return s.arnNotFound(arn, fn(name))
}

// arnNotFound turns storage.ErrTableNotFound into DynamoDB's message for an
// unknown ARN (which does say "ResourcArn").
func (s *Server) arnNotFound(arn string, err error) error {
	if err != nil && toAPIError(err).Type == typeResourceNotFound {
		return errResourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found")
	}
	return err
}

func tagResource(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req tagResourceRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	var v validationErrors
	checkARN(&v, req.ResourceArn)
	if req.Tags == nil {
		v.null("tags")
	}
	checkTags(&v, req.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := s.nonEmptyTagList(*req.ResourceArn, len(req.Tags), "Atleast one Tag needs to be provided as Input."); err != nil {
		return nil, err
	}
	if err := uniqueTagKeys(req.Tags); err != nil {
		return nil, err
	}
	err := s.updateTags(*req.ResourceArn, func(name string) error {
		return s.eng.TagTable(ctx, name, req.Tags)
	})
	return nil, err
}

func untagResource(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req untagResourceRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	var v validationErrors
	checkARN(&v, req.ResourceArn)
	if req.TagKeys == nil {
		v.null("tagKeys")
	}
	for i, k := range req.TagKeys {
		checkTagKey(&v, "tagKeys."+strconv.Itoa(i+1)+".member", k)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := s.nonEmptyTagList(*req.ResourceArn, len(req.TagKeys), "Atleast one Tag Key needs to be provided as Input."); err != nil {
		return nil, err
	}
	err := s.updateTags(*req.ResourceArn, func(name string) error {
		return s.eng.UntagTable(ctx, name, req.TagKeys)
	})
	return nil, err
}

func listTagsOfResource(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req listTagsRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	var v validationErrors
	checkARN(&v, req.ResourceArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	name, err := s.tableFromARN(*req.ResourceArn)
	if err != nil {
		return nil, err
	}
	def, err := s.store.Table(name)
	if err != nil {
		return nil, s.arnNotFound(*req.ResourceArn, err)
	}
	m, err := table.LoadMeta(def)
	if err != nil {
		return nil, err
	}
	// All tags fit one page (at most 50), so there is never a NextToken.
	resp := listTagsResponse{Tags: m.Tags}
	if resp.Tags == nil {
		resp.Tags = []table.Tag{}
	}
	return encode(resp)
}
