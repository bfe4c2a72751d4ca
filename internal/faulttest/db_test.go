package faulttest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

// db is the test's look into the database perfbot runs on.
type db struct {
	t   *testing.T
	url string
}

func (d db) conn() *pgx.Conn {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, d.url)
	require.NoError(d.t, err)
	d.t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

// answers returns, by email, every answer of this period's rounds.
func (d db) answers() map[string][]store.Answer {
	d.t.Helper()
	c := d.conn()
	defer c.Close(context.Background())
	rows, err := c.Query(context.Background(), `SELECT p.email, r.answers FROM rounds r JOIN people p ON p.id = r.person_id`)
	require.NoError(d.t, err)
	out := map[string][]store.Answer{}
	for rows.Next() {
		var (
			email string
			raw   []byte
			as    []store.Answer
		)
		require.NoError(d.t, rows.Scan(&email, &raw))
		require.NoError(d.t, json.Unmarshal(raw, &as))
		out[email] = as
	}
	require.NoError(d.t, rows.Err())
	return out
}

// inbox counts the inbox's events by status.
func (d db) inbox() map[string]int {
	d.t.Helper()
	c := d.conn()
	defer c.Close(context.Background())
	rows, err := c.Query(context.Background(), `SELECT status, COUNT(*) FROM inbox GROUP BY status`)
	require.NoError(d.t, err)
	out := map[string]int{}
	for rows.Next() {
		var (
			status string
			n      int
		)
		require.NoError(d.t, rows.Scan(&status, &n))
		out[status] = n
	}
	require.NoError(d.t, rows.Err())
	return out
}

// attempts returns how often each event, by key, was taken to be handled.
func (d db) attempts() map[string]int {
	d.t.Helper()
	c := d.conn()
	defer c.Close(context.Background())
	rows, err := c.Query(context.Background(), `SELECT event_key, attempts FROM inbox WHERE event_key IS NOT NULL`)
	require.NoError(d.t, err)
	out := map[string]int{}
	for rows.Next() {
		var (
			key string
			n   int
		)
		require.NoError(d.t, rows.Scan(&key, &n))
		out[key] = n
	}
	require.NoError(d.t, rows.Err())
	return out
}

// holdRounds locks the rounds of the people with emails against writes
// until the returned function is called: their steps then stall in their
// transaction, so the events being handled are surely in flight when
// perfbot is broken, while everyone else's go through.
// everyOther is the emails of half of users, the first and every second
// after it: whose steps a test stalls while the others' go through.
func everyOther(users []string) []string {
	var emails []string
	for i, u := range users {
		if i%2 == 0 {
			emails = append(emails, email(u))
		}
	}
	return emails
}

func (d db) holdRounds(emails []string) (release func()) {
	d.t.Helper()
	c := d.conn()
	ctx := context.Background()
	tx, err := c.Begin(ctx)
	require.NoError(d.t, err)
	var n int
	require.NoError(d.t, tx.QueryRow(ctx, `WITH held AS (SELECT r.id FROM rounds r JOIN people p ON p.id = r.person_id
		WHERE p.email = ANY($1) FOR UPDATE OF r) SELECT COUNT(*) FROM held`, emails).Scan(&n))
	require.Equal(d.t, len(emails), n, "a round for each person held")
	return func() { _ = tx.Rollback(ctx) }
}

// outboxFailed counts the messages given up for good.
func (d db) outboxFailed() int {
	d.t.Helper()
	c := d.conn()
	defer c.Close(context.Background())
	var n int
	require.NoError(d.t, c.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE status = 'failed'`).Scan(&n))
	return n
}

// outboxOpen counts the messages waiting to be sent or being sent.
func (d db) outboxOpen() int {
	d.t.Helper()
	c := d.conn()
	defer c.Close(context.Background())
	var n int
	require.NoError(d.t, c.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'claimed')`).Scan(&n))
	return n
}
