package apiclient_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/apiclient"
)

func TestNewKeepsConnections(t *testing.T) {
	c := apiclient.New(15 * time.Second)
	require.Equal(t, 15*time.Second, c.Timeout)
	tr, ok := c.Transport.(*http.Transport)
	require.True(t, ok)
	require.Equal(t, apiclient.IdleConns, tr.MaxIdleConnsPerHost)
	require.NotSame(t, http.DefaultTransport, tr, "a copy: the process's default transport is left as it is")
	require.NotNil(t, tr.Proxy, "the default's settings, such as the proxy from the environment, are kept")
}
