package wecom_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/wecom"
)

// Tencent's weworkapi sample: the URL verification of a self-built app.
const (
	vecToken     = "QDG6eK"
	vecKey       = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	vecCorp      = "wx5823bf96d3bd56c7"
	vecSignature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
	vecTimestamp = "1409659589"
	vecNonce     = "263014780"
	vecEchostr   = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
	vecPlain     = "1616140317555161061"
)

func TestCryptOfficialVector(t *testing.T) {
	c, err := wecom.NewCrypt(vecToken, vecKey, vecCorp)
	require.NoError(t, err)
	require.Equal(t, vecSignature, c.Sign(vecTimestamp, vecNonce, vecEchostr))
	require.NoError(t, c.Verify(vecSignature, vecTimestamp, vecNonce, vecEchostr))
	plain, err := c.Decrypt(vecEchostr)
	require.NoError(t, err)
	require.Equal(t, vecPlain, string(plain))
}

func TestCryptRefusesWhatIsNotOurs(t *testing.T) {
	c, err := wecom.NewCrypt(vecToken, vecKey, vecCorp)
	require.NoError(t, err)

	require.ErrorIs(t, c.Verify(strings.Repeat("0", 40), vecTimestamp, vecNonce, vecEchostr), wecom.ErrBadSignature)
	require.ErrorIs(t, c.Verify(vecSignature, "1409659590", vecNonce, vecEchostr), wecom.ErrBadSignature)

	other, err := wecom.NewCrypt(vecToken, vecKey, "wwsomeoneelse")
	require.NoError(t, err)
	_, err = other.Decrypt(vecEchostr)
	require.ErrorIs(t, err, wecom.ErrWrongReceiver)

	for name, ct := range map[string]string{
		"not base64":   "!!!",
		"short":        "AAAA",
		"not a block":  strings.Repeat("A", 44),
		"tampered":     "Q" + vecEchostr[1:],
		"empty string": "",
	} {
		_, err := c.Decrypt(ct)
		require.Error(t, err, name)
		require.NotErrorIs(t, err, wecom.ErrWrongReceiver, name)
	}
}

func TestCryptRoundTrip(t *testing.T) {
	c, err := wecom.NewCrypt(vecToken, vecKey, vecCorp)
	require.NoError(t, err)
	for _, n := range []int{0, 1, 11, 12, 43, 44, 1000} { // around the 32-byte padding edges
		msg := strings.Repeat("x", n)
		ct, err := c.Encrypt([]byte(msg))
		require.NoError(t, err)
		got, err := c.Decrypt(ct)
		require.NoError(t, err, n)
		require.Equal(t, msg, string(got))
	}
}

func TestNewCryptChecksTheKey(t *testing.T) {
	_, err := wecom.NewCrypt(vecToken, vecKey[:42], vecCorp)
	require.ErrorContains(t, err, "43 characters")
	_, err = wecom.NewCrypt(vecToken, "!"+vecKey[1:], vecCorp)
	require.Error(t, err)
}
