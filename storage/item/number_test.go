package item

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestNumberCanonical(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0", "0"},
		{"-0", "0"},
		{"+0", "0"},
		{"0.000", "0"},
		{"000", "0"},
		{"0e5", "0"},
		{"0e-130", "0"},
		{"0e125", "0"},
		{"0.000e-127", "0"},
		{"1", "1"},
		{"+5", "5"},
		{"-7", "-7"},
		{"1.50", "1.5"},
		{"1.0", "1"},
		{"5.", "5"},
		{".5", "0.5"},
		{"-.5", "-0.5"},
		{"0.5", "0.5"},
		{"00.5", "0.5"},
		{"007", "7"},
		{"0.000100", "0.0001"},
		{"1e3", "1000"},
		{"1E3", "1000"},
		{"1e+2", "100"},
		{"+1e2", "100"},
		{"1.5E+3", "1500"},
		{"1E-5", "0.00001"},
		{"12.5e-1", "1.25"},
		{"-12.5e1", "-125"},
		{"123.456", "123.456"},
		{"-123.456", "-123.456"},
		{"100", "100"},
		{"10.01", "10.01"},
		{"0.10e1", "1"},
		{"1E125", "1" + strings.Repeat("0", 125)},
		{"-1E125", "-1" + strings.Repeat("0", 125)},
		{"9.9999999999999999999999999999999999999E+125", strings.Repeat("9", 38) + strings.Repeat("0", 88)},
		{"1E-130", "0." + strings.Repeat("0", 129) + "1"},
		{"-1E-130", "-0." + strings.Repeat("0", 129) + "1"},
		{"10E-131", "0." + strings.Repeat("0", 129) + "1"},
		{"0.01E126", "1" + strings.Repeat("0", 124)},
		{strings.Repeat("9", 38), strings.Repeat("9", 38)},
		{"1" + strings.Repeat("0", 60), "1" + strings.Repeat("0", 60)},
		{"0." + strings.Repeat("0", 60) + "12", "0." + strings.Repeat("0", 60) + "12"},
		{"1." + strings.Repeat("0", 36) + "1", "1." + strings.Repeat("0", 36) + "1"}, // 38 digits
		{"1" + strings.Repeat("0", 100) + "e-100", "1"},
	}
	for _, c := range cases {
		got, err := CanonicalNumber(c.in)
		if err != nil || got != c.want {
			t.Errorf("CanonicalNumber(%q) = %q, %v; want %q", c.in, got, err, c.want)
			continue
		}
		// Canonical forms are fixed points.
		if again, err := CanonicalNumber(got); err != nil || again != got {
			t.Errorf("CanonicalNumber(%q) not a fixed point: %q, %v", got, again, err)
		}
	}
}

func TestNumberErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", msgNumberInvalid},
		{" 1", msgNumberInvalid},
		{"1 ", msgNumberInvalid},
		{"1 2", msgNumberInvalid},
		{"NaN", msgNumberInvalid},
		{"Infinity", msgNumberInvalid},
		{"-Infinity", msgNumberInvalid},
		{"0x10", msgNumberInvalid},
		{"1.2.3", msgNumberInvalid},
		{"..", msgNumberInvalid},
		{".", msgNumberInvalid},
		{"-", msgNumberInvalid},
		{"+", msgNumberInvalid},
		{"+-1", msgNumberInvalid},
		{"--1", msgNumberInvalid},
		{"1+2", msgNumberInvalid},
		{"e5", msgNumberInvalid},
		{"+e2", msgNumberInvalid},
		{"1e", msgNumberInvalid},
		{"1e+", msgNumberInvalid},
		{"1e1.5", msgNumberInvalid},
		{"1e5e5", msgNumberInvalid},
		{"abc", msgNumberInvalid},
		{"1_000", msgNumberInvalid},
		{"١", msgNumberInvalid}, // non-ASCII digit
		{strings.Repeat("1", 39), msgNumberPrecision},
		{"1." + strings.Repeat("0", 37) + "1", msgNumberPrecision},
		{"-" + strings.Repeat("1", 39), msgNumberPrecision},
		{"1e126", msgNumberOverflow},
		{"-1e126", msgNumberOverflow},
		{"10E125", msgNumberOverflow},
		{"1e999999999999999999999999", msgNumberInvalid}, // exponent past int64
		{"1e-131", msgNumberUnderflow},
		{"-1e-131", msgNumberUnderflow},
		{"0.1E-130", msgNumberUnderflow},
		// Zero's exponent is checked too (measured on DynamoDB).
		{"0e126", msgNumberOverflow},
		{"1e9223372036854775807", msgNumberOverflow},
		{"1e-9223372036854775808", msgNumberUnderflow},
		{"1e9223372036854775808", msgNumberInvalid},
		{"1e-9223372036854775809", msgNumberInvalid},
		{"1e0009223372036854775808", msgNumberInvalid},
		{"-0.0e127", msgNumberOverflow},
		{"0e-131", msgNumberUnderflow},
		{"0.00e-129", msgNumberUnderflow},
		{"1e-999999999999999999999999", msgNumberInvalid},
		{"1e99999999999", msgNumberOverflow},
		{"1e-99999999999", msgNumberUnderflow},
	}
	for _, c := range cases {
		if c.want == msgNumberInvalid {
			c.want += ": " + c.in // DynamoDB quotes the text
		}
		got, err := CanonicalNumber(c.in)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Message != c.want {
			t.Errorf("CanonicalNumber(%q) = %q, %v; want error %q", c.in, got, err, c.want)
		}
	}
}

func TestNumberCanonicalNoAllocWhenCanonical(t *testing.T) {
	for _, s := range []string{"123", "-1.5", "0.001"} {
		if n := testing.AllocsPerRun(100, func() { _, _ = CanonicalNumber(s) }); n != 0 {
			t.Errorf("CanonicalNumber(%q) allocates %v times", s, n)
		}
	}
}

func TestNumberCompare(t *testing.T) {
	ordered := []string{
		"-1E125", "-1000", "-100.5", "-100", "-99.99", "-10", "-2", "-1.5", "-1.25", "-1",
		"-0.5", "-0.05", "-1E-130", "0", "1E-130", "0.001", "0.01", "0.011", "0.1", "0.5",
		"1", "1.0001", "1.5", "2", "9.99", "10", "10.5", "99", "100", "1000", "9.9E125",
	}
	for i := range ordered {
		for j := range ordered {
			a, b := Num(ordered[i]).S, Num(ordered[j]).S
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := CompareNumbers(a, b); got != want {
				t.Errorf("CompareNumbers(%s, %s) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// randNumberText returns random valid number text, often non-canonical.
func randNumberText(r *rand.Rand) string {
	var b strings.Builder
	switch r.IntN(3) {
	case 0:
		b.WriteByte('-')
	case 1:
		if r.IntN(4) == 0 {
			b.WriteByte('+')
		}
	}
	for range r.IntN(3) {
		b.WriteByte('0')
	}
	nd := 1 + r.IntN(MaxNumberDigits)
	for i := range nd {
		if i == 0 {
			b.WriteByte(byte('1' + r.IntN(9)))
		} else {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
	}
	if r.IntN(2) == 0 {
		for range r.IntN(3) {
			b.WriteByte('0')
		}
	}
	if r.IntN(2) == 0 {
		b.WriteString("e")
		b.WriteString(strconv.Itoa(r.IntN(200) - 100 - nd/2))
	}
	return b.String()
}

func bigOf(t *testing.T, s string) *big.Float {
	f, _, err := big.ParseFloat(s, 10, 1000, big.ToNearestEven)
	if err != nil {
		t.Fatalf("big.ParseFloat(%q): %v", s, err)
	}
	return f
}

func ratOf(t *testing.T, s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("big.Rat.SetString(%q) failed", s)
	}
	return r
}

func TestNumberCompareProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		ta, tb := randNumberText(r), randNumberText(r)
		if i%5 == 0 {
			tb = ta // force equal values in different spellings sometimes
			if r.IntN(2) == 0 {
				tb += "0e0"
				if !strings.ContainsAny(ta, ".eE") {
					tb = ta + ".0"
				}
			}
		}
		a, errA := CanonicalNumber(ta)
		b, errB := CanonicalNumber(tb)
		if errA != nil || errB != nil {
			continue // out of range; covered elsewhere
		}
		fa, fb := bigOf(t, ta), bigOf(t, tb)
		if got, want := CompareNumbers(a, b), fa.Cmp(fb); got != want {
			t.Fatalf("CompareNumbers(%s, %s) = %d, big says %d (from %q, %q)", a, b, got, want, ta, tb)
		}
		// The canonical form denotes the same value as the text.
		if bigOf(t, a).Cmp(fa) != 0 {
			t.Fatalf("CanonicalNumber(%q) = %q changes the value", ta, a)
		}
	}
}

func TestNumberArithmetic(t *testing.T) {
	big38 := strings.Repeat("9", 38)
	max := big38 + strings.Repeat("0", 88)
	cases := []struct {
		op      string
		a, b    string
		want    string
		wantErr string
	}{
		{"+", "1", "2", "3", ""},
		{"+", "1.5", "1.5", "3", ""},
		{"+", "0.1", "0.2", "0.3", ""},
		{"+", "-1", "1", "0", ""},
		{"+", "-1.25", "0.25", "-1", ""},
		{"+", "1E-130", "1E-130", "0." + strings.Repeat("0", 129) + "2", ""},
		{"+", "1000", "0.001", "1000.001", ""},
		{"-", "1", "2", "-1", ""},
		{"-", "1", "1", "0", ""},
		{"-", "0", "5.5", "-5.5", ""},
		{"-", "-5", "-5", "0", ""},
		{"-", "10", "0.01", "9.99", ""},
		{"+", big38, "1", "1" + strings.Repeat("0", 38), ""},
		{"+", "1E38", "1", "", msgNumberPrecision},
		{"+", max, "1E125", "", msgNumberOverflow},
		{"-", "-" + max, "1E125", "", msgNumberOverflow},
		{"+", "1", "1E-100", "", msgNumberPrecision},
		{"-", "1E-129", "0.9E-129", "0." + strings.Repeat("0", 129) + "1", ""},
		{"-", "1E-129", "0.99E-129", "", msgNumberUnderflow},
		{"+", "abc", "1", "", msgNumberInvalid + ": abc"},
	}
	for _, c := range cases {
		f := AddNumbers
		if c.op == "-" {
			f = SubtractNumbers
		}
		got, err := f(c.a, c.b)
		if c.wantErr != "" {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Message != c.wantErr {
				t.Errorf("%s %s %s = %q, %v; want error %q", c.a, c.op, c.b, got, err, c.wantErr)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s %s %s = %q, %v; want %q", c.a, c.op, c.b, got, err, c.want)
		}
	}
}

func TestNumberArithmeticProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		a, errA := CanonicalNumber(randNumberText(r))
		b, errB := CanonicalNumber(randNumberText(r))
		if errA != nil || errB != nil {
			continue
		}
		sum, err := AddNumbers(a, b)
		if err != nil {
			continue // precision or range exceeded
		}
		want := new(big.Rat).Add(ratOf(t, a), ratOf(t, b))
		if ratOf(t, sum).Cmp(want) != 0 {
			t.Fatalf("%s + %s = %s, want %s", a, b, sum, want.FloatString(140))
		}
		diff, err := SubtractNumbers(sum, b)
		if err == nil && CompareNumbers(diff, a) != 0 {
			t.Fatalf("(%s + %s) - %s = %s", a, b, b, diff)
		}
	}
}

func TestNumberNum(t *testing.T) {
	if v := Num("1.50"); v.Type != TypeN || v.S != "1.5" {
		t.Errorf("Num(1.50) = %+v", v)
	}
	defer func() {
		if recover() == nil {
			t.Error("Num(bad) did not panic")
		}
	}()
	Num("bad")
}
