package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Request authentication: AWS Signature Version 4, as DynamoDB checks it,
// when Options.Credentials is set (concord serve --auth-file); without it
// every request is accepted, as by DynamoDB Local. Written here rather
// than taken from aws-sdk-go-v2, whose signer signs its own choice of
// headers: a verifier must rebuild the canonical request from the headers
// the client says it signed.

// sigV4Algorithm is the only signing algorithm the SDKs use.
const sigV4Algorithm = "AWS4-HMAC-SHA256"

// maxSignatureSkew is how far a request's X-Amz-Date may be from the
// server's clock, as in AWS.
const maxSignatureSkew = 15 * time.Minute

func errMissingAuth() *Error {
	return &Error{Type: "MissingAuthenticationTokenException", Status: http.StatusBadRequest,
		Message: "Request is missing Authentication Token"}
}

func errUnrecognizedClient() *Error {
	return &Error{Type: "UnrecognizedClientException", Status: http.StatusBadRequest,
		Message: "The security token included in the request is invalid."}
}

func errInvalidSignature(msg string) *Error {
	return &Error{Type: "InvalidSignatureException", Status: http.StatusBadRequest, Message: msg}
}

const msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// sigV4Auth is a parsed Authorization header.
type sigV4Auth struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
}

// parseSigV4 parses "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
// SignedHeaders=a;b, Signature=hex".
func parseSigV4(h string) (sigV4Auth, bool) {
	var a sigV4Auth
	rest, ok := strings.CutPrefix(h, sigV4Algorithm+" ")
	if !ok {
		return a, false
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, false
		}
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 5 || f[4] != "aws4_request" {
				return a, false
			}
			a.accessKey, a.date, a.region, a.service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	return a, a.accessKey != "" && len(a.signedHeaders) > 0 && a.signature != ""
}

// authenticate checks r's signature over the raw (still compressed) body
// whose SHA-256 is bodyHash. now is the server's clock.
func (s *Server) authenticate(r *http.Request, bodyHash []byte, now time.Time) *Error {
	h := r.Header.Get("Authorization")
	if h == "" {
		return errMissingAuth()
	}
	a, ok := parseSigV4(h)
	if !ok {
		return errInvalidSignature("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, with the " + sigV4Algorithm + " algorithm.")
	}
	secret, ok := s.opts.Credentials[a.accessKey]
	if !ok {
		return errUnrecognizedClient()
	}
	amzDate := r.Header.Get("X-Amz-Date")
	t, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil || !strings.HasPrefix(amzDate, a.date) {
		return errInvalidSignature("The request must carry an X-Amz-Date header (yyyyMMddTHHmmssZ) matching the credential scope's date.")
	}
	if d := now.Sub(t); d > maxSignatureSkew || d < -maxSignatureSkew {
		return errInvalidSignature("Signature expired: " + amzDate + " is not within 15 minutes of the server's time " +
			now.UTC().Format("20060102T150405Z") + ".")
	}
	payload := hex.EncodeToString(bodyHash)
	if v := r.Header.Get("X-Amz-Content-Sha256"); v != "" && v != "UNSIGNED-PAYLOAD" {
		if v != payload {
			return errInvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
	}
	canonical := canonicalRequest(r, a.signedHeaders, payload)
	scope := a.date + "/" + a.region + "/" + a.service + "/aws4_request"
	sum := sha256.Sum256([]byte(canonical))
	toSign := sigV4Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	key := hmacSHA256([]byte("AWS4"+secret), a.date)
	for _, part := range []string{a.region, a.service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return errInvalidSignature(msgSignatureMismatch)
	}
	return nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// canonicalRequest is SigV4's canonical form of r with the named headers.
func canonicalRequest(r *http.Request, signed []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.Query()))
	b.WriteByte('\n')
	for _, name := range signed {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// canonicalHeaderValue is the signed value of header name (lower case):
// its values joined by commas, each trimmed and with inner runs of spaces
// collapsed. net/http keeps Host and Content-Length outside r.Header.
func canonicalHeaderValue(r *http.Request, name string) string {
	var vals []string
	switch name {
	case "host":
		vals = []string{r.Host}
	case "content-length":
		vals = []string{strconv.FormatInt(r.ContentLength, 10)}
	default:
		vals = r.Header.Values(name)
	}
	for i, v := range vals {
		vals[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(vals, ",")
}

// canonicalQuery is SigV4's canonical query string: names and values
// URI-encoded, sorted by name then value.
func canonicalQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	var pairs []string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, sigV4Escape(k)+"="+sigV4Escape(v))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

func sigV4Escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// hashingReader hashes what is read through it: the raw request body, for
// the signature check, before any decompression.
type hashingReader struct {
	r io.Reader
	h hash.Hash
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	return n, err
}
