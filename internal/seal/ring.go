package seal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

var (
	// ErrForged is returned by Open for a value no key of the ring sealed
	// for the audience: altered, copied from someone else's button, or
	// made up.
	ErrForged = errors.New("seal: forged or altered button value")
	// ErrExpired is returned by Open for a genuine seal older than the
	// ring's lifetime.
	ErrExpired = errors.New("seal: button value expired")
)

// DefaultLifetime is how long a button stays good unless configured: long
// enough for the slowest check-in cycle and the reminders after it.
const DefaultLifetime = 45 * 24 * time.Hour

const (
	// tagSize is the truncated HMAC-SHA256: 96 bits, far beyond what
	// guessing one click at a time could find.
	tagSize = 12
	// blobSize is the issue time (Unix seconds, good until 2106) and tag.
	blobSize = 4 + tagSize
	// Overhead is what Sign adds to a value: ".", the key id, and the
	// blob in unpadded base64url (6 bits a character).
	Overhead = 2 + (blobSize*8+5)/6
	// domain keeps these MACs apart from any other use of a key.
	domain = "perfbot button v1\x00"
)

var b64 = base64.RawURLEncoding.Strict()

// Ring signs with its first key and opens with any of them.
type Ring struct {
	keys     []Key
	lifetime time.Duration
	now      func() time.Time
}

// NewRing returns a ring of keys, keys[0] signing. A seal opens for
// lifetime after it was made, by clock.
func NewRing(lifetime time.Duration, clock func() time.Time, keys ...Key) (*Ring, error) {
	if len(keys) == 0 {
		return nil, errNoKeys
	}
	if lifetime <= 0 {
		return nil, fmt.Errorf("seal: lifetime %s is not positive", lifetime)
	}
	seen := map[byte]bool{}
	for _, k := range keys {
		if !isKeyID(k.id) || len(k.secret) < MinSecret {
			return nil, fmt.Errorf("seal: %v is not a key made by NewKey", k)
		}
		if seen[k.id] {
			return nil, fmt.Errorf("seal: key id %c is given twice", k.id)
		}
		seen[k.id] = true
	}
	return &Ring{keys: append([]Key(nil), keys...), lifetime: lifetime, now: clock}, nil
}

// Sign returns value sealed for to, issued now.
func (r *Ring) Sign(to Audience, value string) string {
	k := r.keys[0]
	var blob [blobSize]byte
	binary.BigEndian.PutUint32(blob[:4], uint32(r.now().Unix()))
	copy(blob[4:], mac(k, blob[:4], to, value))
	b := make([]byte, 0, len(value)+Overhead)
	b = append(b, value...)
	b = append(b, '.', k.id)
	return string(b64.AppendEncode(b, blob[:]))
}

// Open returns the value sealed in sealed if a key of the ring sealed it
// for one of audiences, less than a lifetime ago. Otherwise the error is
// ErrForged or ErrExpired.
func (r *Ring) Open(sealed string, audiences ...Audience) (string, error) {
	if len(sealed) < Overhead || sealed[len(sealed)-Overhead] != '.' {
		return "", ErrForged
	}
	value, seal := sealed[:len(sealed)-Overhead], sealed[len(sealed)-Overhead+1:]
	k, ok := r.key(seal[0])
	if !ok {
		return "", ErrForged
	}
	var blob [blobSize]byte
	if n, err := b64.Decode(blob[:], []byte(seal[1:])); err != nil || n != len(blob) {
		return "", ErrForged
	}
	issued, tag := blob[:4], blob[4:]
	for _, to := range audiences {
		if hmac.Equal(mac(k, issued, to, value), tag) {
			at := time.Unix(int64(binary.BigEndian.Uint32(issued)), 0)
			if r.now().Sub(at) > r.lifetime {
				return "", ErrExpired
			}
			return value, nil
		}
	}
	return "", ErrForged
}

func (r *Ring) key(id byte) (Key, bool) {
	for _, k := range r.keys {
		if k.id == id {
			return k, true
		}
	}
	return Key{}, false
}

// mac is the truncated tag over everything a seal vouches for. The value
// comes last, after the length-prefixed audience, so no two inputs read
// alike.
func mac(k Key, issued []byte, to Audience, value string) []byte {
	h := hmac.New(sha256.New, k.secret)
	h.Write([]byte(domain))
	h.Write([]byte{k.id})
	h.Write(issued)
	h.Write(binary.AppendUvarint(nil, uint64(len(to))))
	h.Write([]byte(to))
	h.Write([]byte(value))
	return h.Sum(nil)[:tagSize]
}
