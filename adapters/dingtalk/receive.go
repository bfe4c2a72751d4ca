package dingtalk

import (
	"context"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/client"

	"github.com/perfbot/perfbot/bot"
)

// connectRetry paces the first connection attempts. Once connected, the SDK
// reconnects a dropped connection by itself (every 3 s until it succeeds).
var connectRetry = retry{Base: time.Second, Max: time.Minute}

// Receive runs until ctx ends. In stream mode it holds the stream
// connection; in HTTP mode the events come through Mount.
func (a *Adapter) Receive(ctx context.Context, h bot.Handler) error {
	if a.cfg.Mode == ModeHTTP {
		<-ctx.Done()
		return ctx.Err()
	}
	opts := []client.ClientOption{
		client.WithAppCredential(client.NewAppCredentialConfig(a.cfg.ClientID, a.cfg.ClientSecret)),
		client.WithAutoReconnect(true),
	}
	if a.stream != "" {
		opts = append(opts, client.WithOpenApiHost(a.stream))
	}
	cli := client.NewStreamClient(opts...)
	cli.RegisterChatBotCallbackRouter(a.onBotMessage(h))
	// Clicks on interactive cards (DINGTALK_BUTTONS=card) come back here.
	cli.RegisterCardCallbackRouter(a.onCardCallback(h))
	for attempt := 0; ; attempt++ {
		err := cli.Start(ctx)
		if err == nil {
			break
		}
		// Errors here are network or credential errors; neither echoes the secret.
		wait := connectRetry.wait(min(attempt, 6))
		a.log.WarnContext(ctx, "stream connection failed; retrying", "err", err, "in", wait)
		if sleep(ctx, wait) != nil {
			return ctx.Err()
		}
	}
	a.log.InfoContext(ctx, "stream connected")
	<-ctx.Done()
	// Stop the SDK from reconnecting the connection Close is about to end.
	cli.AutoReconnect = false
	cli.Close()
	return ctx.Err()
}

// onBotMessage is the stream handler for robot messages: it hands the
// message on and acknowledges it (an empty answer) once it is kept; an
// error goes back to DingTalk, which delivers the message again.
func (a *Adapter) onBotMessage(h bot.Handler) chatbot.IChatBotMessageHandler {
	return func(ctx context.Context, m *chatbot.BotCallbackDataModel) ([]byte, error) {
		return nil, a.deliver(ctx, h, m)
	}
}
