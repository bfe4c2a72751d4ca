package dingtalk

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrBadSignature is a callback whose signature, timestamp or encryption
// does not check out.
var ErrBadSignature = errors.New("dingtalk: bad signature")

// blockSize is the PKCS#7 padding DingTalk's callback crypto uses: 32 bytes,
// not AES's 16.
const blockSize = 32

// callbackCrypto is DingTalk's encrypted callback scheme (the one WeCom's
// WXBizMsgCrypt uses): sha1 over the sorted token, timestamp, nonce and
// ciphertext; AES-256-CBC with the key's first 16 bytes as IV; plaintext =
// 16 random bytes, a 4-byte big-endian length, the message, the receive id.
type callbackCrypto struct {
	token string
	key   []byte
	// receivers are the ids a message may be addressed to: DingTalk uses the
	// corp id for callback URLs registered by API and the app key for event
	// subscriptions set up in the developer console.
	receivers []string
}

func newCallbackCrypto(token, encodingAESKey string, receivers ...string) (*callbackCrypto, error) {
	k, err := aesKey(encodingAESKey)
	if err != nil {
		return nil, err
	}
	return &callbackCrypto{token: token, key: k, receivers: receivers}, nil
}

func (c *callbackCrypto) signature(timestamp, nonce, encrypt string) string {
	parts := []string{c.token, timestamp, nonce, encrypt}
	slices.Sort(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// decrypt verifies signature and returns the plaintext message.
func (c *callbackCrypto) decrypt(signature, timestamp, nonce, encrypt string) ([]byte, error) {
	want := c.signature(timestamp, nonce, encrypt)
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(signature))) != 1 {
		return nil, fmt.Errorf("%w: signature mismatch", ErrBadSignature)
	}
	raw, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil || len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: ciphertext is not whole AES blocks", ErrBadSignature)
	}
	block, err := aes.NewCipher(c.key)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(raw))
	cipher.NewCBCDecrypter(block, c.key[:aes.BlockSize]).CryptBlocks(plain, raw)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > blockSize || pad > len(plain) {
		return nil, fmt.Errorf("%w: bad padding", ErrBadSignature)
	}
	plain = plain[:len(plain)-pad]
	if len(plain) < 20 {
		return nil, fmt.Errorf("%w: message too short", ErrBadSignature)
	}
	n := binary.BigEndian.Uint32(plain[16:20])
	if uint64(n) > uint64(len(plain)-20) {
		return nil, fmt.Errorf("%w: bad length", ErrBadSignature)
	}
	msg, receiver := plain[20:20+n], string(plain[20+n:])
	if !slices.Contains(c.receivers, receiver) {
		return nil, fmt.Errorf("%w: addressed to another app", ErrBadSignature)
	}
	return msg, nil
}

// encrypt seals msg for the first receiver and signs it.
func (c *callbackCrypto) encrypt(msg []byte, timestamp, nonce string) (encrypt, signature string, err error) {
	var buf bytes.Buffer
	random := make([]byte, 16)
	if _, err := rand.Read(random); err != nil {
		return "", "", err
	}
	buf.Write(random)
	_ = binary.Write(&buf, binary.BigEndian, uint32(len(msg)))
	buf.Write(msg)
	buf.WriteString(c.receivers[0])
	pad := blockSize - buf.Len()%blockSize
	buf.Write(bytes.Repeat([]byte{byte(pad)}, pad))
	block, err := aes.NewCipher(c.key)
	if err != nil {
		return "", "", err
	}
	out := make([]byte, buf.Len())
	cipher.NewCBCEncrypter(block, c.key[:aes.BlockSize]).CryptBlocks(out, buf.Bytes())
	encrypt = base64.StdEncoding.EncodeToString(out)
	return encrypt, c.signature(timestamp, nonce, encrypt), nil
}

// RobotSign is the sign header of a robot callback in HTTP mode:
// base64(HMAC-SHA256(key = app secret, timestamp + "\n" + app secret)).
// Exported so that a load generator signs its traffic as DingTalk does.
func RobotSign(secret, timestamp string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
