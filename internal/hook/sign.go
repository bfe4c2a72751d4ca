package hook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// The request headers.
const (
	HeaderSource    = "X-Perfbot-Source"
	HeaderTimestamp = "X-Perfbot-Timestamp"
	HeaderSignature = "X-Perfbot-Signature"
)

// Sign returns the X-Perfbot-Signature of body sent at timestamp (unix
// seconds): "sha256=" and the hex HMAC-SHA256 of "timestamp.body" under
// secret.
func Sign(secret string, timestamp int64, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, strconv.FormatInt(timestamp, 10), body))
}

// mac is the raw HMAC-SHA256 of "timestamp.body" under secret.
func mac(secret, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}
