using System.Net.WebSockets;
using System.Text.Json;
using ChatPlatform.Client.Tests.Support;

namespace ChatPlatform.Client.Tests.Cli;

/// <summary>The connection events of <c>chat script</c>, against a stand-in gateway that goes away once.</summary>
public sealed class ScriptReconnectTests
{
    [Fact]
    public async Task A_lost_connection_shows_as_disconnected_reconnecting_and_reconnected_lines_with_the_rooms_rejoined()
    {
        var secondJoin = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            while (await connection.ReceiveAsync() is { } frame)
            {
                var room = frame.GetProperty("room").GetString()!;
                await connection.SendAsync(new { type = "ack", id = frame.GetProperty("id").GetString(), room });
                if (connection.Number == 1)
                {
                    await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "shutting down");
                }
                else
                {
                    secondJoin.TrySetResult(room);
                }
            }
        });
        await using var cli = ChatCli.Start("cli-reconnect", ["script", "--url", gateway.Url.ToString(), "--user", "alice"]);
        await cli.ExpectAsync("connected");

        await cli.WriteLineAsync("/join lobby");
        Assert.Equal("ack", (await cli.AnswerToAsync(1)).GetProperty("event").GetString());

        var disconnected = await cli.ExpectAsync("disconnected");
        var reconnecting = await cli.ExpectAsync("reconnecting");
        var reconnected = await cli.ExpectAsync("reconnected");

        Assert.Equal(1001, disconnected.GetProperty("closeStatus").GetInt32());
        Assert.True(disconnected.GetProperty("reconnect").GetBoolean());
        Assert.Contains("1001", disconnected.GetProperty("reason").GetString());
        Assert.Equal(1, reconnecting.GetProperty("attempt").GetInt32());
        Assert.InRange(reconnecting.GetProperty("delayMs").GetInt64(), 0, 500);
        Assert.Equal(gateway.Url.ToString(), reconnecting.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, reconnecting.GetProperty("lastError").ValueKind);
        Assert.Equal("0000000000000002", reconnected.GetProperty("connection").GetString());
        Assert.Equal(["lobby"], reconnected.GetProperty("rooms").EnumerateArray().Select(room => room.GetString()));
        Assert.Equal("lobby", await secondJoin.Task.WaitAsync(ChatCli.DefaultTimeout));

        cli.EndInput();
        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));
        Assert.Empty(cli.NotJson);
    }
}
