package item

// CanonicalNumber validates DynamoDB number text ("1.50", "-0", "1e3", "+5")
// and returns its canonical form: no leading or trailing zeros, no '+', zero
// is "0", plain decimal notation. Errors are *ValidationError with DynamoDB's
// messages (e.g. "Attempting to store more than 38 significant digits in a
// Number", "Number overflow. Attempting to store a number with magnitude
// larger than supported range", "Number underflow. Attempting to store a
// number with magnitude smaller than supported range").
func CanonicalNumber(s string) (string, error) { panic("TODO") }

// CompareNumbers orders two canonical numbers numerically: -1, 0 or +1.
func CompareNumbers(a, b string) int { panic("TODO") }

// AddNumbers does exact decimal addition of canonical numbers and returns a
// canonical result, or a *ValidationError when the result leaves DynamoDB's
// range or precision.
func AddNumbers(a, b string) (string, error) { panic("TODO") }

// SubtractNumbers returns a-b like AddNumbers.
func SubtractNumbers(a, b string) (string, error) { panic("TODO") }

// Num returns an N Value from number text, panicking on invalid text. For
// tests and constants.
func Num(s string) Value { panic("TODO") }
