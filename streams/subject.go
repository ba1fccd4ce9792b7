package streams

import "strings"

// StreamName is the JetStream stream that holds region's changes.
func StreamName(region string) string {
	var b strings.Builder
	b.WriteString("CONCORD_")
	for _, r := range strings.ToUpper(region) {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Subject is the subject region publishes its changes on.
func Subject(region string) string {
	return "concord.chg." + subjectToken(region)
}

// subjectToken makes region safe as one subject token.
func subjectToken(region string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '*', '>', ' ', '\t', '\n', '\r':
			return '_'
		}
		return r
	}, region)
}

// MsgID is the deduplication id of region's change seq.
func MsgID(region string, seq uint64) string {
	return region + ":" + uitoa(seq)
}

// BatchMsgID is the deduplication id of a message carrying region's
// changes first to last.
func BatchMsgID(region string, first, last uint64) string {
	if first == last {
		return MsgID(region, first)
	}
	return region + ":" + uitoa(first) + "-" + uitoa(last)
}

func uitoa(v uint64) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return string(buf[i:])
}
