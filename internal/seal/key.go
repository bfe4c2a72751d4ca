package seal

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// MinSecret is the shortest secret a Key takes, in bytes.
const MinSecret = 16

// Key is one signing key: a one-character id, carried in every seal it
// makes so the ring knows which key to check it with, and the secret. Its
// String, GoString and LogValue never show the secret.
type Key struct {
	id     byte
	secret []byte
}

// NewKey returns the key id (a letter or digit) with secret.
func NewKey(id byte, secret []byte) (Key, error) {
	if !isKeyID(id) {
		return Key{}, fmt.Errorf("seal: key id %q is not a letter or digit", id)
	}
	if len(secret) < MinSecret {
		return Key{}, fmt.Errorf("seal: the secret of key %c is shorter than %d bytes", id, MinSecret)
	}
	return Key{id: id, secret: append([]byte(nil), secret...)}, nil
}

// NewSecret returns a fresh random secret for a Key.
func NewSecret() []byte { return []byte(rand.Text()) }

// ID is the key's id.
func (k Key) ID() byte { return k.id }

// Secret is the key's secret, for storing it. Never log it.
func (k Key) Secret() []byte { return k.secret }

func (k Key) String() string { return "seal.Key(" + string(k.id) + ", secret hidden)" }

// GoString is String, for %#v.
func (k Key) GoString() string { return k.String() }

// LogValue logs the id alone.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// ParseKeys reads keys written "id=secret,id=secret": the first is the one
// that signs, the others only open. Spaces around entries are ignored. The
// errors never show a secret.
func ParseKeys(v string) ([]Key, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var keys []Key
	seen := map[byte]bool{}
	for i, entry := range strings.Split(v, ",") {
		// Cut at the first "=": base64 secrets end in "=".
		id, secret, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok || len(id) != 1 {
			return nil, fmt.Errorf("entry %d is not id=secret with a one-character id (want e.g. 2=NEWSECRET,1=OLDSECRET)", i+1)
		}
		k, err := NewKey(id[0], []byte(secret))
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		if seen[k.id] {
			return nil, fmt.Errorf("key id %c is given twice", k.id)
		}
		seen[k.id] = true
		keys = append(keys, k)
	}
	return keys, nil
}

func isKeyID(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// errNoKeys is returned by NewRing given no key.
var errNoKeys = errors.New("seal: a ring needs a key")
