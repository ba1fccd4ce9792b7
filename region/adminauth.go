package region

import (
	"crypto/subtle"
	"net/http"
)

// requireKey guards the node's own endpoints (/admin/*, /metrics,
// /dashboard, /debug/pprof/) when the node requires signed DynamoDB
// requests (Config.Credentials): a request must carry HTTP Basic
// authentication with one of the access key IDs as the user name and its
// secret key as the password. Basic rather than Signature V4 so that
// browsers (the dashboard prompts once), curl -u and Prometheus's
// basic_auth can use them; send it over HTTPS (Config.TLSCert) only.
func requireKey(creds map[string]string, realm string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, secret, ok := r.BasicAuth(); ok {
			if want, known := creds[id]; known && subtle.ConstantTimeCompare([]byte(secret), []byte(want)) == 1 {
				next.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="`+realm+`", charset="UTF-8"`)
		http.Error(w, "concord: this endpoint needs HTTP Basic authentication with an access key ID and its secret key from the node's --auth-file", http.StatusUnauthorized)
	})
}
