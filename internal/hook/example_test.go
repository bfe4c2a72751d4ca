package hook_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/hook"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

// printer is a Prompter that prints the events it gets.
type printer struct{}

func (printer) Prompt(_ context.Context, e hook.Event) error {
	fmt.Printf("prompt the manager of person %d: %s %q\n", e.PersonID, e.Kind, e.Title)
	return nil
}

// A sender signs timestamp + "." + body with its source's secret, and sends
// the three headers with the body unchanged.
func ExampleSign() {
	const secret = "0123456789abcdef0123456789abcdef" // PERFBOT_HOOK_SECRETS=crm=<this>
	sent := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	// perfbot's side, with the embedded stores.
	ctx := context.Background()
	clock := func() time.Time { return sent.Add(3 * time.Second) }
	st, err := sqlstore.Open(ctx, "sqlite::memory:", clock)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	mia := bot.Person{Name: "Mia", Email: "mia@example.com"}
	if err := st.SavePerson(ctx, &mia); err != nil {
		panic(err)
	}
	ada := bot.Person{Name: "Ada", Email: "ada@example.com", ManagerID: mia.ID}
	if err := st.SavePerson(ctx, &ada); err != nil {
		panic(err)
	}
	h, err := hook.New(hook.Options{
		Secrets: map[string]string{"crm": secret}, People: st, Replay: st,
		Prompter: printer{}, Clock: clock, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	h.Mount(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// The sender's side.
	body := []byte(`{"person": "ada@example.com", "kind": "deal_won", "title": "ACME renewal", "url": "https://crm.example.com/deals/42"}`)
	req, err := http.NewRequest(http.MethodPost, srv.URL+hook.Path, bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(hook.HeaderSource, "crm")
	req.Header.Set(hook.HeaderTimestamp, strconv.FormatInt(sent.Unix(), 10))
	req.Header.Set(hook.HeaderSignature, hook.Sign(secret, sent.Unix(), body))
	fmt.Println(req.Header.Get(hook.HeaderSignature))

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Print(resp.StatusCode, " ", string(answer))
	// Output:
	// sha256=0a92d8abed44d60210a154477c5a29c2ccf338af622f670f1d26bfc8c08bfbfe
	// prompt the manager of person 2: deal_won "ACME renewal"
	// 202 {"status":"accepted"}
}
