package region

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// certCheckInterval is how often, at most, certReloader looks at its files.
const certCheckInterval = 30 * time.Second

// certReloader serves the node's HTTPS certificate and re-reads its files
// when they change, so a rotated certificate (as cert-manager or a cron job
// writes it) takes effect without a restart. It looks at the files'
// modification times at most once every certCheckInterval, on a TLS
// handshake. A pair that does not load (a key written before its
// certificate, say) leaves the previous certificate in use and is logged.
type certReloader struct {
	certFile, keyFile string
	log               *slog.Logger
	now               func() time.Time

	mu      sync.Mutex
	cert    *tls.Certificate
	mod     [2]time.Time // the files' modification times when cert was read
	checked time.Time
}

// newCertReloader loads the pair once; an error here stops the node from
// starting, with a message naming the files.
func newCertReloader(certFile, keyFile string, log *slog.Logger) (*certReloader, error) {
	r := &certReloader{certFile: certFile, keyFile: keyFile, log: log, now: time.Now}
	mod, err := r.modTimes()
	if err != nil {
		return nil, err
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("region: TLS certificate %s and key %s: %w", certFile, keyFile, err)
	}
	r.cert, r.mod, r.checked = &cert, mod, r.now()
	return r, nil
}

func (r *certReloader) modTimes() ([2]time.Time, error) {
	var mod [2]time.Time
	var errs []error
	for i, f := range []string{r.certFile, r.keyFile} {
		fi, err := os.Stat(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("region: TLS file: %w", err))
			continue
		}
		mod[i] = fi.ModTime()
	}
	return mod, errors.Join(errs...)
}

// getCertificate is tls.Config.GetCertificate.
func (r *certReloader) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now := r.now(); now.Sub(r.checked) >= certCheckInterval {
		r.checked = now
		r.reload()
	}
	return r.cert, nil
}

// reload reads the pair again if either file changed since the last read.
func (r *certReloader) reload() {
	mod, err := r.modTimes()
	if err != nil {
		r.log.Warn("region: cannot check the TLS certificate; keeping the loaded one", "err", err)
		return
	}
	if mod == r.mod {
		return
	}
	cert, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		r.log.Warn("region: cannot load the changed TLS certificate; keeping the previous one", "cert", r.certFile, "key", r.keyFile, "err", err)
		return
	}
	r.cert, r.mod = &cert, mod
	r.log.Info("region: loaded the changed TLS certificate", "cert", r.certFile)
}
