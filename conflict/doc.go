// Package conflict owns last-writer-wins: a Version is a hybrid logical
// clock timestamp and the region that made the change, versions order
// totally by (timestamp, region), and Resolve keeps the newer one.
//
// It is pure: no IO, no goroutines, no time.Now (time reaches it through an
// hlc.Clock's injected physical clock). It imports only conflict/hlc and the
// standard library; storage never imports it, it only stores the encoded
// bytes, whose byte order equals version order.
package conflict
