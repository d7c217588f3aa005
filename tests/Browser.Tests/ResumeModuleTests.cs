using System.Text.Json;

namespace ChatPlatform.Browser.Tests;

/// <summary>
/// The page's modules that decide what a resumed connection asks for and what the page already
/// has (<c>streams.js</c>, <c>resume.js</c>), called in the page as the browser loaded them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResumeModuleTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Per_stream_a_message_at_or_below_the_last_offset_is_not_shown_again_unless_the_stream_started_a_new_epoch()
    {
        await using var page = await fixture.OpenAsync(0);
        var accepted = await page.Page.EvaluateAsync<bool[]>("""
            async () => {
              const { accept, clearPositions, lastOffset } = await import('/assets/streams.js');
              clearPositions();
              const message = (offset, id, recovered) => ({ type: 'message', message: id, stream: 'room:t', offset, ...(recovered ? { recovered: true } : {}) });
              const results = [
                accept(message(1, 'a')),
                accept(message(2, 'b')),
                accept(message(2, 'b')),        // the same message again
                accept(message(1, 'x', true)),  // recovered, at or below the last offset: one the page has
                accept(message(3, 'c', true)),  // recovered, after it
                accept(message(1, 'n')),        // live, below it, never seen: the stream has a new epoch
                accept(message(2, 'o')),        // and goes on from there
                accept(message(2, 'o')),
                accept({ type: 'message', message: 'z', to: { connection: 'c' } }), // not stored: nothing to compare
              ];
              return [...results, lastOffset('room:t') === 2];
            }
            """);

        Assert.Equal([true, true, false, false, true, true, true, false, true, true], accepted);
    }

    [Fact]
    public async Task A_resume_names_its_own_stream_and_the_open_room_first_then_the_most_active_within_the_url_bound_and_not_rooms_it_left()
    {
        await using var page = await fixture.OpenAsync(0);
        var result = await page.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const { state } = await import('/assets/state.js');
              const { accept, clearPositions } = await import('/assets/streams.js');
              const { conversationFor, key, setSelected } = await import('/assets/conversations.js');
              const { connectionUrl, keepSession, MAX_URL_LENGTH } = await import('/assets/resume.js');
              clearPositions();
              Object.assign(state, { signedIn: true, me: 'pat', credentials: { user: 'pat' } });
              keepSession({ type: 'welcome', user: 'pat', session: 'c0ffee.s3cr/et+' });
              accept({ message: 'own', stream: 'user:pat', offset: 7 });
              // 100 rooms with long names (each since= about 120 characters), activity in this order.
              const room = (i) => `room-${i}-${'x'.repeat(100)}`;
              for (let i = 0; i < 100; i++) {
                conversationFor('room', room(i)).joined = true;
                accept({ message: `m${i}`, stream: `room:${room(i)}`, offset: i + 1 });
              }
              conversationFor('room', 'gone').joined = false;
              accept({ message: 'gone', stream: 'room:gone', offset: 5 });
              setSelected(key('room', room(3)));
              const base = 'ws://127.0.0.1/ws?user=pat';
              const url = new URL(connectionUrl(base));
              return {
                length: connectionUrl(base).length,
                max: MAX_URL_LENGTH,
                resume: url.searchParams.get('resume'),
                since: url.searchParams.getAll('since'),
                room3: `room:${room(3)}:4`,
                room99: `room:${room(99)}:100`,
                room98: `room:${room(98)}:99`,
                room0: `room:${room(0)}:1`,
              };
            }
            """);

        Assert.InRange(result.GetProperty("length").GetInt32(), 5000, result.GetProperty("max").GetInt32());
        Assert.Equal("c0ffee.s3cr/et+", result.GetProperty("resume").GetString());
        var since = result.GetProperty("since").EnumerateArray().Select(item => item.GetString()!).ToList();
        Assert.Equal("user:pat:7", since[0]);
        Assert.Equal(result.GetProperty("room3").GetString(), since[1]);
        Assert.Equal(result.GetProperty("room99").GetString(), since[2]);
        Assert.Equal(result.GetProperty("room98").GetString(), since[3]);
        Assert.InRange(since.Count, 20, 60);
        Assert.DoesNotContain(result.GetProperty("room0").GetString(), since);
        Assert.DoesNotContain("room:gone:5", since);
        Assert.Empty(page.ConsoleErrors);
    }
}
