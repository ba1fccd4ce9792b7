package chaos

import (
	"errors"
	"io"
	"net"
	"sync"
)

// proxy is a TCP proxy on one region-to-region link: it listens on
// 127.0.0.1:0 and forwards every connection to target, the NATS address of
// the link's source region, which the consumer region dials as its peer.
// While cut (cuts > 0) it closes live connections and refuses new ones
// (accepts and closes at once, as a broken network would); a link cut by
// two faults at once heals when both have healed. With no target (the
// source region is not running yet) connections are refused too.
type proxy struct {
	ln net.Listener
	wg sync.WaitGroup // serve and the pipes

	mu struct {
		sync.Mutex // protects the fields below
		target     string
		cuts       int
		conns      map[net.Conn]struct{}
		closed     bool
	}
}

// newProxy listens on a free port; close stops it.
func newProxy() (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln}
	p.mu.conns = map[net.Conn]struct{}{}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// url is the proxy's address as a NATS URL.
func (p *proxy) url() string { return "nats://" + p.ln.Addr().String() }

// setTarget makes new connections go to target ("host:port"); live ones
// are closed.
func (p *proxy) setTarget(target string) {
	p.mu.Lock()
	p.mu.target = target
	p.mu.Unlock()
	p.dropConns()
}

// cut closes every live connection and refuses new ones until as many
// heals as cuts.
func (p *proxy) cut() {
	p.mu.Lock()
	p.mu.cuts++
	p.mu.Unlock()
	p.dropConns()
}

// heal undoes one cut.
func (p *proxy) heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mu.cuts > 0 {
		p.mu.cuts--
	}
}

// healAll undoes every cut.
func (p *proxy) healAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mu.cuts = 0
}

func (p *proxy) dropConns() {
	p.mu.Lock()
	conns := make([]net.Conn, 0, len(p.mu.conns))
	for c := range p.mu.conns {
		conns = append(conns, c)
	}
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// close stops the proxy and waits for its goroutines.
func (p *proxy) close() {
	p.mu.Lock()
	p.mu.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.dropConns()
	p.wg.Wait()
}

// serve accepts until the listener closes.
func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		p.mu.Lock()
		open, target := p.mu.cuts == 0 && !p.mu.closed, p.mu.target
		p.mu.Unlock()
		if !open || target == "" {
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", target)
		if err != nil {
			c.Close()
			continue
		}
		if !p.track(c, up, target) {
			c.Close()
			up.Close()
			continue
		}
		p.wg.Add(2)
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

// track registers a connection pair unless the proxy was cut, closed or
// re-targeted meanwhile.
func (p *proxy) track(a, b net.Conn, target string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mu.cuts > 0 || p.mu.closed || p.mu.target != target {
		return false
	}
	p.mu.conns[a] = struct{}{}
	p.mu.conns[b] = struct{}{}
	return true
}

// pipe copies src to dst; when either side ends, both are closed.
func (p *proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
	p.mu.Lock()
	delete(p.mu.conns, dst)
	delete(p.mu.conns, src)
	p.mu.Unlock()
}
