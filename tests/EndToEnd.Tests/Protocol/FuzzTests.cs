using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.Protocol;

/// <summary>
/// Random and mutated frames thrown at live gateways: the gateways stay up, log no error, keep
/// every connection open, and still answer every well-formed frame mixed in with the rubbish.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class FuzzTests(StackFixture fixture, ITestOutputHelper output)
{
    private const int Connections = 8;
    private const int FramesPerConnection = 12_500;
    private const int Seed = 20261122;

    /// <summary>Characters that matter to JSON, plus some that matter to nobody, for insertions and replacements.</summary>
    private const string Alphabet = "{}[]\":,\\ \t\n0123456789-+.eEtrufalsn/bu\u00e9\u4e2d\ud83d\ude00\u0000\u001f\u2028";

    private static readonly string[] IgnoredTypes = ["message", "joined", "left", "error"];

    [Fact]
    public async Task A_hundred_thousand_random_and_mutated_frames_crash_nothing_and_every_well_formed_frame_is_answered()
    {
        var room = Names.Unique("fuzz");
        var clients = new List<TestClient>();
        for (var i = 0; i < Connections; i++)
        {
            clients.Add(await fixture.Stack.ConnectAsync(i % 2, Names.Unique("fuzzer"), IgnoredTypes));
        }

        var logStart = fixture.Stack.Gateways.Select(gateway => gateway.Process.LogPosition).ToList();
        try
        {
            var expected = await Task.WhenAll(clients.Select((client, index) => SendAsync(client, index, room)));

            foreach (var (client, ids) in clients.Zip(expected))
            {
                foreach (var id in ids)
                {
                    await client.ExpectAsync(frame => frame.TryGetProperty("id", out var echoed) && echoed.ValueKind == JsonValueKind.String && echoed.GetString() == id, $"an answer to {id}", TimeSpan.FromSeconds(60));
                }

                Assert.Equal(WebSocketState.Open, client.State);
            }

            output.WriteLine($"{Connections * FramesPerConnection} frames sent, {expected.Sum(ids => ids.Count)} of them well-formed and all answered");
            foreach (var (gateway, start) in fixture.Stack.Gateways.Zip(logStart))
            {
                Assert.True(gateway.IsRunning, $"{gateway.Name} exited");
                var errors = gateway.Process.LinesSince(start)
                    .Where(line => line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal) || line.Contains("Unhandled exception", StringComparison.Ordinal))
                    .ToList();
                Assert.True(errors.Count == 0, $"{gateway.Name} logged errors:\n{string.Join('\n', errors.Take(10))}");
            }

            // And a newcomer is served as usual.
            await using var newcomer = await fixture.Stack.ConnectAsync(0, Names.Unique("after"));
            Assert.Equal("ack", (await newcomer.SendAndWaitAsync(new { user = newcomer.User }, "all well")).GetProperty("type").GetString());
        }
        finally
        {
            await Task.WhenAll(clients.Select(client => client.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task A_text_frame_that_is_not_utf8_closes_the_connection_with_1007_and_harms_no_one_else()
    {
        await using var bystander = await fixture.Stack.ConnectAsync(0, Names.Unique("bystander"));
        await using var offender = await fixture.Stack.ConnectAsync(0, Names.Unique("offender"));

        await offender.SendRawAsync(new byte[] { 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D }, WebSocketMessageType.Text);

        await offender.Closed.WaitAsync(TestClient.DefaultTimeout);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, offender.CloseStatus);
        Assert.Equal("ack", (await bystander.SendAndWaitAsync(new { user = bystander.User }, "fine")).GetProperty("type").GetString());
    }

    /// <summary>Sends one connection's share of frames; returns the ids of the well-formed ones.</summary>
    private static async Task<List<string>> SendAsync(TestClient client, int index, string room)
    {
        var random = new Random(Seed + index);
        var templates = Templates(client, room);
        var wellFormed = new List<string>();
        for (var n = 0; n < FramesPerConnection; n++)
        {
            var roll = random.NextDouble();
            string frame;
            if (roll < 0.1)
            {
                var id = $"ok-{index}-{n}";
                wellFormed.Add(id);
                frame = WellFormed(client, room, id, random);
            }
            else if (roll < 0.4)
            {
                frame = RandomText(random, random.Next(0, 200));
            }
            else
            {
                frame = Mutate(templates[random.Next(templates.Length)], random);
            }

            await client.SendAsync(frame);
        }

        return wellFormed;
    }

    /// <summary>A frame the gateway must answer with an ack or a presence answer.</summary>
    private static string WellFormed(TestClient client, string room, string id, Random random) => random.Next(4) switch
    {
        0 => $$$"""{"type":"send","id":"{{{id}}}","to":{"user":"{{{client.User}}}"},"body":{"n":{{{random.Next()}}}}}""",
        1 => $$"""{"type":"presence","id":"{{id}}","user":"{{client.User}}"}""",
        2 => $$"""{"type":"join","id":"{{id}}","room":"{{room}}"}""",
        _ => $$"""{"type":"presence","id":"{{id}}","room":"{{room}}"}""",
    };

    private static string[] Templates(TestClient client, string room) =>
    [
        $$$"""{"type":"send","id":"t1","to":{"user":"{{{client.User}}}"},"body":{"text":"hello","n":[1,2.5,-3e2,true,null]}}""",
        $$"""{"type":"send","id":2,"to":{"connection":"{{client.ConnectionId}}"},"body":"plain"}""",
        $$$$"""{"type":"send","id":"t3","to":{"room":"{{{{room}}}}"},"body":{"nested":{"deeper":[{"x":"\u00e9\ud83d\ude00"}]}}}""",
        $$"""{"type":"join","id":"t4","room":"{{room}}"}""",
        $$"""{"type":"leave","id":"t5","room":"{{room}}"}""",
        $$"""{"type":"presence","id":"t6","room":"{{room}}"}""",
        $$"""{"type":"presence","id":"t7","user":"{{client.User}}"}""",
    ];

    private static string Mutate(string template, Random random)
    {
        var text = new StringBuilder(template);
        for (var edits = random.Next(1, 5); edits > 0; edits--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(8))
            {
                case 0 when text.Length > 0:
                    text.Remove(Math.Min(at, text.Length - 1), 1);
                    break;
                case 1:
                    text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2 when text.Length > 0:
                    text[Math.Min(at, text.Length - 1)] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 3:
                    text.Length = Math.Min(at, text.Length);
                    break;
                case 4:
                    var start = random.Next(text.Length + 1);
                    var piece = text.ToString(start, random.Next(text.Length - start + 1));
                    text.Insert(at, piece);
                    break;
                case 5:
                    text.Insert(at, new string('[', random.Next(1, 100)));
                    break;
                case 6:
                    text.Insert(at, random.Next(3) switch { 0 => "1e999999", 1 => "\"\\ud800\"", _ => new string('9', 400) });
                    break;
                default:
                    text.Insert(at, RandomText(random, random.Next(1, 20)));
                    break;
            }
        }

        // Lone surrogates cannot be sent as UTF-8 text; they stay as escapes only.
        return string.Concat(text.ToString().Where(c => !char.IsSurrogate(c)));
    }

    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(10) switch
            {
                < 6 => (char)random.Next(0x20, 0x7F),
                < 8 => Alphabet[random.Next(Alphabet.Length)],
                _ => (char)random.Next(0xA0, 0xD7FF),
            });
        }

        return string.Concat(text.ToString().Where(c => !char.IsSurrogate(c)));
    }
}
