package wecom

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/silenceper/wechat/v2/util"
)

// Errors of callback verification. They say what was wrong and never
// include the material itself.
var (
	ErrBadSignature  = errors.New("wecom: bad msg_signature")
	ErrBadCiphertext = errors.New("wecom: bad ciphertext")
	ErrWrongReceiver = errors.New("wecom: ciphertext is for another receiver")
)

// Crypt signs, verifies, encrypts and decrypts WeCom callbacks (the scheme
// of Tencent's WXBizMsgCrypt): msg_signature is the SHA-1 of the sorted
// token, timestamp, nonce and ciphertext; the ciphertext is AES-256-CBC with
// IV = key[:16] over 16 random bytes, the message length (4 bytes, big
// endian), the message and the receiveid, PKCS#7-padded to 32 bytes.
//
// The SHA-1 and the AES framing are silenceper/wechat's (util.Signature,
// util.AESDecryptMsg, util.AESEncryptMsg), which implement exactly that; the
// key handling and the receiveid check are here, so each failure has its
// own error.
type Crypt struct {
	token     string
	key       []byte
	receiveID string
}

// NewCrypt returns a Crypt for an app's Token and EncodingAESKey; receiveID
// is the corp id a self-built app's callbacks are encrypted for.
func NewCrypt(token, encodingAESKey, receiveID string) (*Crypt, error) {
	key, err := aesKey(encodingAESKey)
	if err != nil {
		return nil, fmt.Errorf("wecom: EncodingAESKey: %w", err)
	}
	return &Crypt{token: token, key: key, receiveID: receiveID}, nil
}

// Sign returns the msg_signature of a callback.
func (c *Crypt) Sign(timestamp, nonce, encrypted string) string {
	return util.Signature(c.token, timestamp, nonce, encrypted)
}

// Verify checks a callback's msg_signature, in constant time.
func (c *Crypt) Verify(signature, timestamp, nonce, encrypted string) error {
	want := c.Sign(timestamp, nonce, encrypted)
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return ErrBadSignature
	}
	return nil
}

// Decrypt opens a base64 ciphertext and checks that it was made for our
// receiveid.
func (c *Crypt) Decrypt(encrypted string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(encrypted)
	if err != nil {
		return nil, fmt.Errorf("%w: not base64", ErrBadCiphertext)
	}
	_, msg, receiver, err := util.AESDecryptMsg(raw, c.key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCiphertext, err)
	}
	if subtle.ConstantTimeCompare(receiver, []byte(c.receiveID)) != 1 {
		return nil, ErrWrongReceiver
	}
	return msg, nil
}

// Encrypt seals msg for our receiveid, as WeCom does; perfbot needs it only
// to answer with an encrypted body and in tests.
func (c *Crypt) Encrypt(msg []byte) (string, error) {
	random := make([]byte, 16)
	if _, err := rand.Read(random); err != nil {
		return "", fmt.Errorf("wecom: encrypt: %w", err)
	}
	return base64.StdEncoding.EncodeToString(util.AESEncryptMsg(random, msg, c.receiveID, c.key)), nil
}
