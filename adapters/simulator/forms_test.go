package simulator_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/bot/bottest"
)

var checkinForm = bot.Form{
	Title:  "Check-in W41 for @all",
	Submit: "Submit",
	Value:  "form:12:3",
	Fields: []bot.FormField{
		{Key: "q_done", Label: "What did you get done?", Value: "Shipped @all the things", Multiline: true, MaxLength: 2000},
		{Key: "goal_7", Label: "Latency goal", Hint: "a number, or 60%", Optional: true, MaxLength: 16},
		{Key: "mood", Label: "Mood", Optional: true, Value: "4", Choices: []bot.Choice{
			{Label: "😞 1", Value: "1"}, {Label: "🙂 4", Value: "4"}, {Label: "😄 5", Value: "5"},
		}},
	},
}

// openForm sends alice the prompt whose click opens the form, and opens it
// as the engine would in reply to that click. It returns both refs.
func openForm(t *testing.T, a *simulator.Adapter) (prompt, form bot.MessageRef) {
	t.Helper()
	prompt, err := a.Send(t.Context(), bot.Message{To: dm("alice"), Text: "Ready?",
		Buttons: []bot.Button{{Label: "Use a form", Value: "form:12:2"}}})
	require.NoError(t, err)
	click := bot.Event{ID: "ev-click", From: alice.Identity(), Kind: bot.KindAction, Action: "form:12:2", Ref: prompt}
	var opener bot.FormOpener = a
	require.NoError(t, opener.OpenForm(t.Context(), click, checkinForm))
	dm := a.DM("alice")
	require.Len(t, dm, 2)
	return prompt, dm[1].Ref
}

func TestOpenFormStoresAndStreamsTheForm(t *testing.T) {
	a := newAdapter(simulator.Options{})
	srv := serve(t, a, &recorder{})
	events := stream(t, srv.URL+"/api/events?persona=alice")
	_, ref := openForm(t, a)

	got := a.DM("alice")[1]
	require.Equal(t, simulator.EntryForm, got.Kind)
	require.Empty(t, got.From, "perfbot opened it")
	require.Equal(t, bot.Neutralize("Check-in W41 for @all"), got.Title)
	require.Equal(t, now, got.At)
	require.False(t, got.Submitted)
	require.NotNil(t, got.Form)
	require.Equal(t, "form:12:3", got.Form.Value)
	require.Equal(t, "Shipped @all the things", got.Form.Fields[0].Value, "a prefill comes back as it went")
	require.Empty(t, a.DM("wei"))

	next(t, events) // the prompt
	ev := next(t, events)
	require.Equal(t, "new", ev.Name)
	card := decodeEntry(t, ev)
	require.Equal(t, ref, card.Ref)
	require.Equal(t, "form", card.Kind)
	require.Equal(t, "dm:alice", card.Conversation)
	require.NotNil(t, card.Form)
	require.Equal(t, "Submit", card.Form.Submit)
	require.False(t, card.Form.Submitted)
	require.Len(t, card.Form.Fields, 3)
	done, goal, mood := card.Form.Fields[0], card.Form.Fields[1], card.Form.Fields[2]
	require.Equal(t, "q_done", done.Key)
	require.True(t, done.Multiline)
	require.False(t, done.Optional)
	require.Equal(t, 2000, done.MaxLength)
	require.Equal(t, "a number, or 60%", goal.Hint)
	require.True(t, goal.Optional)
	require.Equal(t, 16, goal.MaxLength)
	require.Equal(t, "4", mood.Value)
	require.Len(t, mood.Choices, 3)
	require.Equal(t, "🙂 4", mood.Choices[1].Label)
	require.Equal(t, "4", mood.Choices[1].Value)
	require.NotContains(t, ev.Data, "form:12:3", "the page has no use for the form's value")
}

func TestOpenFormNeedsASimulatorPerson(t *testing.T) {
	a := newAdapter(simulator.Options{})
	for name, from := range map[string]bot.Identity{
		"slack":  {Platform: bot.Slack, Tenant: "T1", UserID: "U1"},
		"nobody": {Platform: bot.Simulator, Tenant: simulator.Tenant},
	} {
		require.Error(t, a.OpenForm(t.Context(), bot.Event{From: from}, checkinForm), name)
	}
}

func TestFormSubmitBecomesAnActionWithValues(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	prompt, ref := openForm(t, a)
	events := stream(t, srv.URL+"/api/events?persona=alice")
	forms := srv.URL + "/api/conversations/alice/forms"

	values := map[string]string{"q_done": "Shipped <b>it</b>", "goal_7": "", "mood": "5"}
	status, reply := post(t, forms, map[string]any{"ref": ref, "values": values})
	require.Equal(t, http.StatusOK, status)

	got := h.Events()
	require.Len(t, got, 1)
	require.Equal(t, bot.Event{
		ID:     reply["event_id"].(string),
		From:   alice.Identity(),
		Kind:   bot.KindAction,
		Action: "form:12:3",
		Values: values,
		Ref:    prompt,
		At:     now,
	}, got[0])

	// The card shows what was sent and cannot be sent again; the person's
	// side of the transcript says they submitted it.
	transcript := a.DM("alice")
	require.Len(t, transcript, 3)
	require.True(t, transcript[1].Submitted)
	require.Equal(t, values, transcript[1].Values)
	require.Equal(t, simulator.EntryChoice, transcript[2].Kind)
	require.Equal(t, "alice", transcript[2].From)
	require.Equal(t, "› Submitted the form", transcript[2].Text)

	ev := next(t, events)
	require.Equal(t, "update", ev.Name)
	card := decodeEntry(t, ev)
	require.Equal(t, ref, card.Ref)
	require.True(t, card.Form.Submitted)
	require.Equal(t, map[string]string{"q_done": "Shipped <b>it</b>", "mood": "5", "goal_7": ""}, card.Form.Values)

	status, again := post(t, forms, map[string]any{"ref": ref, "values": map[string]string{"mood": "1"}})
	require.Equal(t, http.StatusConflict, status)
	require.NotEmpty(t, again["error"])
	require.Len(t, h.Events(), 1, "a form is submitted once")
	require.Equal(t, values, a.DM("alice")[1].Values)
}

func TestFormRacingSubmitsGoThroughOnce(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	_, ref := openForm(t, a)

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
	)
	for range 8 {
		wg.Go(func() {
			status, _ := post(t, srv.URL+"/api/conversations/alice/forms", map[string]any{"ref": ref, "values": map[string]string{}})
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	require.Equal(t, map[int]int{http.StatusOK: 1, http.StatusConflict: 7}, statuses)
	require.Len(t, h.Events(), 1)
	require.Equal(t, map[string]string{}, h.Events()[0].Values, "no answers is an empty map, not nil")
}

func TestSomeoneElsesFormIsNotFound(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	prompt, ref := openForm(t, a)
	body := func(ref bot.MessageRef) map[string]any {
		return map[string]any{"ref": ref, "values": map[string]string{"mood": "1"}}
	}

	status, _ := post(t, srv.URL+"/api/conversations/wei/forms", body(ref))
	require.Equal(t, http.StatusNotFound, status, "alice's form is not wei's to submit")
	status, _ = post(t, srv.URL+"/api/conversations/alice/forms", body("msg-never"))
	require.Equal(t, http.StatusNotFound, status)
	status, _ = post(t, srv.URL+"/api/conversations/alice/forms", body(prompt))
	require.Equal(t, http.StatusNotFound, status, "a message is not a form")
	status, _ = post(t, srv.URL+"/api/conversations/alice/forms", map[string]any{"values": map[string]string{}})
	require.Equal(t, http.StatusBadRequest, status, "no ref")
	status, _ = post(t, srv.URL+"/api/conversations/alice/forms", `{"ref": "r", "values": {"mood": 5}}`)
	require.Equal(t, http.StatusBadRequest, status, "answers are strings")
	status, _ = post(t, srv.URL+"/api/conversations/mallory/forms", body(ref))
	require.Equal(t, http.StatusNotFound, status)
	require.Empty(t, h.Events())
	require.False(t, a.DM("alice")[1].Submitted, "still alice's to submit")
	require.Empty(t, a.DM("wei"))

	status, _ = post(t, srv.URL+"/api/conversations/alice/forms", body(ref))
	require.Equal(t, http.StatusOK, status)
}

func TestFormInAChannelIsNotFound(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	ref, err := a.Send(t.Context(), bot.Message{To: channel("team"), Text: "Summary", Buttons: []bot.Button{{Label: "Details", Value: "d"}}})
	require.NoError(t, err)
	status, _ := post(t, srv.URL+"/api/conversations/alice/forms", map[string]any{"ref": ref, "values": map[string]string{}})
	require.Equal(t, http.StatusNotFound, status)
	require.Empty(t, h.Events())
}

func TestFormSubmitHandlerErrorIsShown(t *testing.T) {
	a := newAdapter(simulator.Options{})
	srv := serve(t, a, bottest.NewFailing(http.ErrHandlerTimeout))
	_, ref := openForm(t, a)
	status, _ := post(t, srv.URL+"/api/conversations/alice/forms", map[string]any{"ref": ref, "values": map[string]string{}})
	require.Equal(t, http.StatusInternalServerError, status)
	transcript := a.DM("alice")
	require.True(t, transcript[2].Failed, "the submission is marked not handled")
	// The platform's way to try again is to deliver the same event: resend.
	status, _ = post(t, srv.URL+"/api/conversations/alice/resend", nil)
	require.Equal(t, http.StatusInternalServerError, status)
}
