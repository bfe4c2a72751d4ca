package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// formSimulator is the simulator with forms, as Slack has them: it keeps
// the forms it was asked to open, or fails to open them.
type formSimulator struct {
	*simulator.Adapter
	mu    sync.Mutex
	forms []bot.Form
	fail  error
}

func (s *formSimulator) OpenForm(_ context.Context, in bot.Event, f bot.Form) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	if in.Kind != bot.KindAction {
		return errors.New("a form opens in reply to a click")
	}
	s.forms = append(s.forms, f)
	return nil
}

func formFixture(t *testing.T) (*fixture, *formSimulator) {
	f := &fixture{t: t, people: map[string]bot.Person{}}
	sim := &formSimulator{Adapter: simulator.New(simulator.Options{})}
	f.sim = sim.Adapter
	f.Fixture = enginetest.New(t, enginetest.Embedded, sim)
	mgr := f.Add("Li Wei", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleManager, bot.Identity{Platform: bot.Simulator, Tenant: "demo", UserID: "li.wei"})
	f.people["li.wei"] = mgr
	f.people["anna"] = f.Add("Anna", bot.LocaleEN, "Europe/Berlin", mgr.ID, bot.RoleEmployee, bot.Identity{Platform: bot.Simulator, Tenant: "demo", UserID: "anna"})
	require.NoError(t, f.Store.SaveGoal(context.Background(), &store.Goal{PersonID: f.people["anna"].ID, Title: "Ship v2"}))
	return f, sim
}

func TestAnswerInAForm(t *testing.T) {
	f, sim := formFixture(t)
	ctx := context.Background()
	_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
	require.NoError(t, err)
	f.click("anna", "Answer in a form")

	require.Len(t, sim.forms, 1)
	form := sim.forms[0]
	require.Equal(t, "Check-in 2026-W48", form.Title)
	var keys []string
	for _, fl := range form.Fields {
		keys = append(keys, fl.Key)
	}
	require.Equal(t, []string{"q_done", "q_blockers", "q_next", "goal_" + "1", "mood"}, keys)
	require.Len(t, form.Fields[4].Choices, 5)

	submit := f.event("anna", bot.Event{Kind: bot.KindAction, Action: form.Value, Values: map[string]string{
		"q_done": "Shipped the importer", "q_blockers": "", "q_next": "Exporter", "goal_1": "140%", "mood": "4",
	}})
	require.NoError(t, f.Engine.Handle(ctx, submit))
	r := f.round("anna")
	require.Equal(t, "Shipped the importer", r.Answer(store.QuestionDone), "what was fine is kept")
	require.Equal(t, 4, r.Mood)
	require.Empty(t, r.Goals)
	out := f.transcript("anna")
	require.Contains(t, out, "I kept your answers, except these:\n• 4: A percentage goes from 0 to 100")
	require.Contains(t, f.last("anna").Text, `(4/5) How far along is "Ship v2"?`, "and asks again in chat")

	f.say("anna", "40")
	require.Contains(t, f.last("anna").Text, "(2/5) Any blockers?", "then what the form left empty")
	f.say("anna", "none")
	require.Equal(t, "Your check-in · 2026-W48", f.last("anna").Title)
}

func TestFormThatWillNotOpenFallsBackToChat(t *testing.T) {
	f, sim := formFixture(t)
	sim.fail = errors.New("trigger expired")
	ctx := context.Background()
	_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
	require.NoError(t, err)
	f.click("anna", "Answer in a form")
	require.Contains(t, f.last("anna").Text, "I couldn't open the form. Type checkin to answer here instead.")
	f.say("anna", "checkin")
	require.Contains(t, f.last("anna").Text, "(1/5) What did you get done this week?")
}
