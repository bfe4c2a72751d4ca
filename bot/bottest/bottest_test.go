package bottest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/bot/bottest"
)

func TestRecorder(t *testing.T) {
	ctx := context.Background()
	r := &bottest.Recorder{}
	require.NoError(t, r.Handle(ctx, bot.Event{ID: "1"}))
	r.FailNext(1)
	require.Error(t, r.Handle(ctx, bot.Event{ID: "2"}))
	require.NoError(t, r.Handle(ctx, bot.Event{ID: "3"}))
	down := errors.New("down")
	r.Fail(down)
	require.ErrorIs(t, r.Handle(ctx, bot.Event{ID: "4"}), down)
	require.ErrorIs(t, bottest.NewFailing(down).Handle(ctx, bot.Event{}), down)
	var ids []string
	for _, ev := range r.Events() {
		ids = append(ids, ev.ID)
	}
	require.Equal(t, []string{"1", "2", "3", "4"}, ids, "failed events are recorded too")
}
