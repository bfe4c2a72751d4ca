package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestOrgSyncWeCom(t *testing.T) {
	mux := http.NewServeMux()
	reply := func(path string, v any) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { json.NewEncoder(w).Encode(v) })
	}
	reply("/cgi-bin/gettoken", map[string]any{"errcode": 0, "access_token": "t", "expires_in": 7200})
	reply("/cgi-bin/department/list", map[string]any{"errcode": 0, "department": []any{map[string]any{"id": 1, "name": "Acme"}}})
	reply("/cgi-bin/user/list", map[string]any{"errcode": 0, "userlist": []any{
		map[string]any{"userid": "WangFang", "name": "王芳", "main_department": 1, "status": 1},
		map[string]any{"userid": "LiWei", "name": "李伟", "main_department": 1, "direct_leader": []string{"WangFang"}, "status": 1},
	}})
	fake := httptest.NewServer(mux)
	defer fake.Close()

	vars := sqliteVars(t)
	var out, errb lockedBuffer
	envOf := func() environment {
		return environment{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }, clock: time.Now}
	}
	err := orgSyncWeCom(context.Background(), envOf(), nil)
	require.ErrorContains(t, err, "WeCom is not configured")

	for k, v := range map[string]string{
		"WECOM_CORP_ID": "ww1", "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": "s3cret", "WECOM_TOKEN": "tok",
		"WECOM_ENCODING_AES_KEY": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "WECOM_API_BASE": fake.URL,
	} {
		vars[k] = v
	}
	require.NoError(t, orgSyncWeCom(context.Background(), envOf(), nil))
	require.Contains(t, out.String(), "2 people created")
	require.NotContains(t, errb.String(), "s3cret")

	vars["WECOM_ENCODING_AES_KEY"] = "short"
	err = orgSyncWeCom(context.Background(), envOf(), nil)
	require.ErrorContains(t, err, "WECOM_ENCODING_AES_KEY: must be 43 characters")
}
