package dingtalk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"testing"

	"github.com/stretchr/testify/require"
)

// DingTalk's official vector (open-dingtalk/DingTalk-Callback-Crypto).
func TestCallbackCryptoOfficialVector(t *testing.T) {
	c, err := newCallbackCrypto("tokenxxxx", "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus", "dingxxxxxx")
	require.NoError(t, err)
	const enc = "X1VSe9cTJUMZu60d3kyLYTrBq5578ZRJtteU94wG0Q4Uk6E/wQYeJRIC0/UFW5Wkya1Ihz9oXAdLlyC9TRaqsQ=="
	msg, err := c.decrypt("f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc", "1605695694141", "WelUQl6bCqcBa2fM", enc)
	require.NoError(t, err)
	require.Equal(t, "success", string(msg))

	_, err = c.decrypt("f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fd", "1605695694141", "WelUQl6bCqcBa2fM", enc)
	require.ErrorIs(t, err, ErrBadSignature)
	_, err = c.decrypt("f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc", "1605695694142", "WelUQl6bCqcBa2fM", enc)
	require.ErrorIs(t, err, ErrBadSignature)

	other, err := newCallbackCrypto("tokenxxxx", "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus", "dingother")
	require.NoError(t, err)
	_, err = other.decrypt("f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc", "1605695694141", "WelUQl6bCqcBa2fM", enc)
	require.ErrorIs(t, err, ErrBadSignature, "a message for another corp is refused")
}

func TestCallbackCryptoRoundTrip(t *testing.T) {
	c, err := newCallbackCrypto("tok", "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus", testCorp, testClient)
	require.NoError(t, err)
	for _, msg := range []string{"", "success", `{"EventType":"check_url"}`, string(make([]byte, 64))} {
		enc, sig, err := c.encrypt([]byte(msg), "1700000000000", "nonce")
		require.NoError(t, err)
		raw, _ := base64.StdEncoding.DecodeString(enc)
		require.Zero(t, len(raw)%blockSize, "padded to 32 bytes")
		got, err := c.decrypt(sig, "1700000000000", "nonce", enc)
		require.NoError(t, err)
		require.Equal(t, msg, string(got))
	}
}

func TestRobotSign(t *testing.T) {
	// Computed independently: HMAC-SHA256 keyed with the secret over
	// timestamp + "\n" + secret, base64.
	m := hmac.New(sha256.New, []byte("SEC123"))
	m.Write([]byte("1700000000000\nSEC123"))
	require.Equal(t, base64.StdEncoding.EncodeToString(m.Sum(nil)), RobotSign("SEC123", "1700000000000"))
	require.NotEqual(t, RobotSign("SEC123", "1700000000000"), RobotSign("SEC124", "1700000000000"))
}

func TestLoadConfig(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	_, ok, err := LoadConfig(env(nil))
	require.NoError(t, err)
	require.False(t, ok)

	cfg, ok, err := LoadConfig(env(map[string]string{
		"DINGTALK_CLIENT_ID": "id", "DINGTALK_CLIENT_SECRET": "s3cret", "DINGTALK_CORP_ID": "dingc",
	}))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, Config{ClientID: "id", ClientSecret: "s3cret", RobotCode: "id", Mode: ModeStream, Buttons: ButtonsCard,
		APIBase: DefaultAPIBase, OAPIBase: DefaultOAPIBase, CorpID: "dingc"}, cfg)
	require.NotContains(t, cfg.String(), "s3cret")

	base := map[string]string{"DINGTALK_CLIENT_ID": "id", "DINGTALK_CLIENT_SECRET": "s3cret", "DINGTALK_CORP_ID": "dingc"}
	with := func(kv ...string) map[string]string {
		m := maps.Clone(base)
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	cfg, _, err = LoadConfig(env(with("DINGTALK_MODE", "http")))
	require.NoError(t, err)
	require.Equal(t, ButtonsActionCard, cfg.Buttons, "card clicks need the stream: HTTP mode falls back to action cards")
	_, _, err = LoadConfig(env(with("DINGTALK_MODE", "http", "DINGTALK_BUTTONS", "card")))
	require.ErrorContains(t, err, "DINGTALK_BUTTONS")
	cfg, _, err = LoadConfig(env(with("DINGTALK_BUTTONS", "ActionCard")))
	require.NoError(t, err)
	require.Equal(t, ButtonsActionCard, cfg.Buttons)
	_, _, err = LoadConfig(env(with("DINGTALK_BUTTONS", "blocks")))
	require.ErrorContains(t, err, "DINGTALK_BUTTONS")
	cfg, _, err = LoadConfig(env(with("DINGTALK_QPS", "40")))
	require.NoError(t, err)
	require.Equal(t, 40, cfg.QPS)
	require.Contains(t, cfg.String(), "qps=40")
	for _, bad := range []string{"0", "-5", "fast"} {
		_, _, err = LoadConfig(env(with("DINGTALK_QPS", bad)))
		require.ErrorContains(t, err, "DINGTALK_QPS", bad)
	}

	_, _, err = LoadConfig(env(map[string]string{
		"DINGTALK_CLIENT_ID": "id", "DINGTALK_CLIENT_SECRET": "s3cret", "DINGTALK_CORP_ID": "dingc",
		"DINGTALK_MODE": "webhook", "DINGTALK_CALLBACK_TOKEN": "t", "DINGTALK_CALLBACK_AES_KEY": "short-secret",
		"DINGTALK_API_BASE": "ftp://x",
	}))
	require.ErrorContains(t, err, "DINGTALK_MODE")
	require.ErrorContains(t, err, "DINGTALK_CALLBACK_AES_KEY: must be 43 characters")
	require.ErrorContains(t, err, "DINGTALK_API_BASE")
	require.NotContains(t, err.Error(), "short-secret")
	require.NotContains(t, err.Error(), "s3cret")

	_, _, err = LoadConfig(env(map[string]string{"DINGTALK_CLIENT_ID": "id"}))
	require.ErrorContains(t, err, "DINGTALK_CLIENT_SECRET")
	require.ErrorContains(t, err, "DINGTALK_CORP_ID")
}
