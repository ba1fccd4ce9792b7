package item

import (
	"math/big"
	"strconv"
	"strings"
)

// DynamoDB's number range: 1E-130 <= |x| <= 9.99...9E+125, with at most
// MaxNumberDigits significant digits. In scientific notation d.ddd×10^e the
// exponent e lies in [minNumberExp, maxNumberExp].
const (
	maxNumberExp = 125
	minNumberExp = -130
)

// DynamoDB's messages for bad numbers.
const (
	msgNumberInvalid   = "The parameter cannot be converted to a numeric value"
	msgNumberPrecision = "Attempting to store more than 38 significant digits in a Number"
	msgNumberOverflow  = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	msgNumberUnderflow = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)

// CanonicalNumber validates DynamoDB number text ("1.50", "-0", "1e3", "+5")
// and returns its canonical form: no leading or trailing zeros, no '+', zero
// is "0", plain decimal notation. Errors are *ValidationError with DynamoDB's
// messages (e.g. "Attempting to store more than 38 significant digits in a
// Number", "Number overflow. Attempting to store a number with magnitude
// larger than supported range", "Number underflow. Attempting to store a
// number with magnitude smaller than supported range").
func CanonicalNumber(s string) (string, error) {
	// invalid quotes the text, as DynamoDB does ("...numeric value: abc").
	invalid := func() error { return &ValidationError{Message: msgNumberInvalid + ": " + s, Kind: KindBadValue} }
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	// Mantissa: digits with at most one '.', at least one digit.
	mantStart := i
	dot := -1
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if dot >= 0 {
				return "", invalid()
			}
			dot = i
			continue
		}
		if c < '0' || c > '9' {
			break
		}
	}
	mantEnd := i
	nDigits := mantEnd - mantStart
	if dot >= 0 {
		nDigits--
	}
	if nDigits == 0 {
		return "", invalid()
	}
	if dot < 0 {
		dot = mantEnd // implied point after the last digit
	}
	// Optional exponent. Its value is clamped: the point's position within
	// the mantissa is at most len(s) digits either way, so an exponent past
	// len(s)+200 is out of range whatever the mantissa, and clamping keeps
	// the arithmetic below from overflowing.
	exp, expCap := 0, len(s)+200
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		start := i
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if exp < expCap {
				exp = exp*10 + int(s[i]-'0')
			}
		}
		if i == start || !fitsInt64(s[start:i], eneg) {
			// DynamoDB reads the exponent as a 64-bit integer: past it,
			// the text is not a number (measured: 1e9223372036854775808).
			return "", invalid()
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(s) {
		return "", invalid()
	}

	// Find the first and last non-zero digits of the mantissa.
	first, last := -1, -1
	for j := mantStart; j < mantEnd; j++ {
		if c := s[j]; c != '.' && c != '0' {
			if first < 0 {
				first = j
			}
			last = j
		}
	}
	if first < 0 {
		// Zero has no significant digit, but DynamoDB still checks its
		// exponent as a decimal's (BigDecimal's precision - scale - 1):
		// 0e126 overflows and 0e-131 underflows, measured.
		frac := 0
		if dot < mantEnd {
			frac = mantEnd - dot - 1
		}
		switch adj := exp - frac; {
		case adj > maxNumberExp:
			return "", &ValidationError{Message: msgNumberOverflow, Kind: KindBadValue}
		case adj < minNumberExp:
			return "", &ValidationError{Message: msgNumberUnderflow, Kind: KindBadValue}
		}
		return "0", nil
	}
	// sig counts significant digits; pointPos is the position of the decimal
	// point counted in digits after the first significant one, so the value
	// is 0.d1d2...dn × 10^pointPos.
	sig := last - first + 1
	if first < dot && last > dot {
		sig--
	}
	pointPos := dot - first
	if first > dot {
		pointPos++ // the '.' itself lies between dot and first
	}
	pointPos += exp
	sciExp := pointPos - 1
	if sciExp > maxNumberExp {
		return "", &ValidationError{Message: msgNumberOverflow, Kind: KindBadValue}
	}
	if sciExp < minNumberExp {
		return "", &ValidationError{Message: msgNumberUnderflow, Kind: KindBadValue}
	}
	if sig > MaxNumberDigits {
		return "", &ValidationError{Message: msgNumberPrecision, Kind: KindBadValue}
	}

	// Fast path: the text is already canonical.
	if start := 0; isCanonicalSpan(s, start, mantStart, mantEnd, first, last, dot, exp, i) {
		return s[start:mantEnd], nil
	}

	// Collect the significant digits, then place the point.
	var digits [MaxNumberDigits]byte
	n := 0
	for j := first; j <= last; j++ {
		if s[j] != '.' {
			digits[n] = s[j]
			n++
		}
	}
	var b strings.Builder
	size := n + 3
	if pointPos > n {
		size += pointPos - n
	} else if pointPos < 0 {
		size += -pointPos
	}
	b.Grow(size)
	if neg {
		b.WriteByte('-')
	}
	switch {
	case pointPos >= n:
		b.Write(digits[:n])
		for k := n; k < pointPos; k++ {
			b.WriteByte('0')
		}
	case pointPos > 0:
		b.Write(digits[:pointPos])
		b.WriteByte('.')
		b.Write(digits[pointPos:n])
	default:
		b.WriteString("0.")
		for k := pointPos; k < 0; k++ {
			b.WriteByte('0')
		}
		b.Write(digits[:n])
	}
	return b.String(), nil
}

// isCanonicalSpan reports whether s[start:mantEnd] is already the canonical
// form, so CanonicalNumber can return it without allocating. The mantissa
// must have no exponent, no '+', no redundant leading zero and no trailing
// zero after the point.
func isCanonicalSpan(s string, start, mantStart, mantEnd, first, last, dot, exp, end int) bool {
	if end != mantEnd || exp != 0 || (mantStart > start && s[start] == '+') {
		return false // exponent present, or a '+' sign
	}
	if dot == mantEnd {
		// Integer: canonical when the first digit is significant.
		return first == mantStart
	}
	// Has a point: no trailing zeros (last digit is significant and the
	// point is not the last character), and the integer part is either
	// "0" (for values below one) or starts with a significant digit.
	if last != mantEnd-1 {
		return false
	}
	if first < dot {
		return first == mantStart
	}
	return dot == mantStart+1 && s[mantStart] == '0'
}

// numberSign returns -1, 0 or +1 for a canonical number.
func numberSign(s string) int {
	switch {
	case s == "0" || s == "":
		return 0
	case s[0] == '-':
		return -1
	}
	return 1
}

// CompareNumbers orders two canonical numbers numerically: -1, 0 or +1.
func CompareNumbers(a, b string) int {
	sa, sb := numberSign(a), numberSign(b)
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	if sa < 0 {
		return -compareMagnitudes(a[1:], b[1:])
	}
	return compareMagnitudes(a, b)
}

// compareMagnitudes orders two unsigned canonical numbers. The integer part
// has no leading zeros (except a lone "0" before a fraction), so a longer
// integer part is a larger number; with equal integer lengths the decimal
// points line up and bytewise order is numeric order (a prefix is smaller
// because canonical forms have no trailing fractional zeros).
func compareMagnitudes(a, b string) int {
	ia := strings.IndexByte(a, '.')
	if ia < 0 {
		ia = len(a)
	}
	ib := strings.IndexByte(b, '.')
	if ib < 0 {
		ib = len(b)
	}
	if ia != ib {
		if ia < ib {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// AddNumbers does exact decimal addition of canonical numbers and returns a
// canonical result, or a *ValidationError when the result leaves DynamoDB's
// range or precision.
func AddNumbers(a, b string) (string, error) {
	return addNumbers(a, b, false)
}

// SubtractNumbers returns a-b like AddNumbers.
func SubtractNumbers(a, b string) (string, error) {
	return addNumbers(a, b, true)
}

func addNumbers(a, b string, negateB bool) (string, error) {
	ca, sa, err := parseDecimal(a)
	if err != nil {
		return "", err
	}
	cb, sb, err := parseDecimal(b)
	if err != nil {
		return "", err
	}
	if negateB {
		cb.Neg(cb)
	}
	// Align to the larger scale (number of fractional digits).
	scale := max(sa, sb)
	ten := big.NewInt(10)
	if sa < scale {
		ca.Mul(ca, new(big.Int).Exp(ten, big.NewInt(int64(scale-sa)), nil))
	}
	if sb < scale {
		cb.Mul(cb, new(big.Int).Exp(ten, big.NewInt(int64(scale-sb)), nil))
	}
	ca.Add(ca, cb)
	text := ca.String()
	if scale > 0 {
		text += "e-" + strconv.Itoa(scale)
	}
	return CanonicalNumber(text)
}

// parseDecimal returns the coefficient and scale of number text: the value
// is coef × 10^-scale. The text is canonicalised first, so any valid number
// text is accepted.
func parseDecimal(s string) (*big.Int, int, error) {
	c, err := CanonicalNumber(s)
	if err != nil {
		return nil, 0, err
	}
	scale := 0
	if i := strings.IndexByte(c, '.'); i >= 0 {
		scale = len(c) - i - 1
		c = c[:i] + c[i+1:]
	}
	coef, ok := new(big.Int).SetString(c, 10)
	if !ok {
		return nil, 0, &ValidationError{Message: msgNumberInvalid, Kind: KindBadValue}
	}
	return coef, scale, nil
}

// fitsInt64 reports whether the decimal digits (of an exponent, negated
// when neg) fit in an int64.
func fitsInt64(digits string, neg bool) bool {
	digits = strings.TrimLeft(digits, "0")
	limit := "9223372036854775807"
	if neg {
		limit = "9223372036854775808"
	}
	return len(digits) < len(limit) || len(digits) == len(limit) && digits <= limit
}

// Num returns an N Value from number text, panicking on invalid text. For
// tests and constants.
func Num(s string) Value {
	c, err := CanonicalNumber(s)
	if err != nil {
		panic("item: Num(" + s + "): " + err.Error())
	}
	return Value{Type: TypeN, S: c}
}
