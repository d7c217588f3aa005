using System.Globalization;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Router.Registry;
using Xunit.Sdk;

namespace ChatPlatform.Router.Tests.Registry;

/// <summary>
/// The router's registry cache. Most cases are rows of <see cref="Cases"/>: a script of changes
/// and of what the registry must then resolve, one per line, run against a fresh
/// <see cref="RegistryState"/> (the language is at <see cref="Run"/>). The facts after the table
/// check what a script cannot say: that resolved lists are snapshots, built once and reused.
/// </summary>
public sealed class RegistryStateTests
{
    private readonly RegistryState _state = new();

    public static TheoryData<string, string> Cases => new()
    {
        { "An empty registry resolves nothing", """
            user alice -> nothing
            connection c1 -> nothing
            connections -> 0
            users -> 0
            """ },
        { "An added connection resolves as its user and as itself", """
            add gw1 c1 alice
            user alice -> gw1:1
            connection c1 -> gw1:1
            connections -> 1
            users -> 1
            """ },
        { "A user's connections are counted per gateway", """
            add gw1 c1 alice; add gw2 c2 alice; add gw1 c3 alice; add gw1 c4 bob
            user alice -> gw1:2 gw2:1
            user bob -> gw1:1
            connection c2 -> gw2:1
            connections -> 4
            users -> 2
            """ },
        { "Removing connections lowers their gateways' counts until the user is gone", """
            add gw1 c1 alice; add gw1 c2 alice; add gw2 c3 alice
            remove c1
            user alice -> gw1:1 gw2:1
            connection c1 -> nothing
            remove c2
            user alice -> gw2:1
            remove c3
            user alice -> nothing
            connections -> 0
            users -> 0
            """ },
        { "Removing a gateway removes its connections and nothing else", """
            add gw1 c1 alice; add gw2 c2 alice; add gw1 c3 bob; add gw1 c4 bob; add gw2 c5 carol
            remove-gateway gw1
            user alice -> gw2:1
            user bob -> nothing
            user carol -> gw2:1
            connection c1 -> nothing
            connection c3 -> nothing
            connection c2 -> gw2:1
            connections -> 2
            users -> 2
            """ },
        { "A removed gateway can hold connections again", """
            add gw1 c1 alice
            remove-gateway gw1
            add gw1 c2 alice
            user alice -> gw1:1
            remove-gateway gw1
            user alice -> nothing
            connections -> 0
            """ },
        { "Adding the same connection again changes nothing", """
            add gw1 c1 alice
            add gw1 c1 alice
            user alice -> gw1:1
            connections -> 1
            remove c1
            user alice -> nothing
            users -> 0
            """ },
        { "A connection added again on another gateway moves there", """
            add gw1 c1 alice
            add gw2 c1 alice
            user alice -> gw2:1
            connection c1 -> gw2:1
            remove-gateway gw1
            connection c1 -> gw2:1
            connections -> 1
            """ },
        { "A connection added again for another user moves to that user", """
            add gw1 c1 alice
            add gw1 c1 bob
            user alice -> nothing
            user bob -> gw1:1
            users -> 1
            """ },
        { "Removing unknown connections or gateways changes nothing", """
            add gw1 c1 alice; add gw1 c2 alice; remove c2
            remove c2; remove never-seen; remove-gateway gw-never-seen
            user alice -> gw1:1
            connections -> 1
            users -> 1
            """ },
        { "Changes are applied by kind", """
            apply 1 ConnectionAdded gw1 c1 alice
            apply 2 ConnectionAdded gw1 c2 alice
            apply 3 ConnectionAdded gw2 c3 alice
            user alice -> gw1:2 gw2:1
            apply 4 ConnectionRemoved gw1 c1 alice
            user alice -> gw1:1 gw2:1
            apply 5 GatewayRemoved gw1
            user alice -> gw2:1
            """ },
        { "Names are case-sensitive", """
            add gw1 c1 alice
            user Alice -> nothing
            connection C1 -> nothing
            """ },
        { "A joined connection makes the room resolve to its gateway", """
            add gw1 c1 alice
            join c1 lobby
            room lobby -> gw1:1
            rooms -> 1
            """ },
        { "A room's members are counted per gateway", """
            add gw1 c1 alice; add gw1 c2 alice; add gw2 c3 bob; add gw2 c4 carol; add gw3 c5 dave
            join c1 lobby; join c2 lobby; join c3 lobby; join c5 kitchen
            room lobby -> gw1:2 gw2:1
            room kitchen -> gw3:1
            room nowhere -> nothing
            rooms -> 2
            """ },
        { "Joining a room twice counts once", """
            add gw1 c1 alice
            join c1 lobby; join c1 lobby
            room lobby -> gw1:1
            members lobby -> 1:alice
            leave c1 lobby
            room lobby -> nothing
            rooms -> 0
            """ },
        { "Leaving lowers the count, and the room disappears with its last member", """
            add gw1 c1 alice; add gw1 c2 bob
            join c1 lobby; join c2 lobby
            leave c1 lobby
            room lobby -> gw1:1
            rooms -> 1
            leave c2 lobby
            room lobby -> nothing
            rooms -> 0
            members lobby -> 0:
            """ },
        { "Leaving a room the connection is not in changes nothing", """
            add gw1 c1 alice; add gw1 c2 bob
            join c1 lobby; join c2 kitchen
            leave c2 lobby; leave c1 nowhere; leave never-seen lobby
            room lobby -> gw1:1
            room kitchen -> gw1:1
            members lobby -> 1:alice
            rooms -> 2
            """ },
        { "Joins of unknown connections are ignored", """
            add gw1 c1 alice
            remove c1
            join c1 lobby; join never-seen lobby
            room lobby -> nothing
            rooms -> 0
            members lobby -> 0:
            """ },
        { "Removing a connection takes it out of all its rooms", """
            add gw1 c1 alice; add gw2 c2 bob
            join c1 lobby; join c1 kitchen; join c2 lobby
            remove c1
            room lobby -> gw2:1
            room kitchen -> nothing
            members lobby -> 1:bob
            rooms -> 1
            """ },
        { "Removing a gateway takes its connections out of their rooms and leaves the other members", """
            add gw1 c1 alice; add gw1 c2 bob; add gw2 c3 bob; add gw2 c4 carol
            join c1 lobby; join c2 lobby; join c3 lobby; join c1 gw1-only; join c2 gw1-only
            join c4 gw2-only
            remove-gateway gw1
            room lobby -> gw2:1
            members lobby -> 1:bob
            room gw1-only -> nothing
            room gw2-only -> gw2:1
            rooms -> 2
            """ },
        { "A connection added again on the same gateway keeps its rooms", """
            // Replaying a change over a snapshot that already had it must not drop memberships.
            add gw1 c1 alice
            join c1 lobby
            add gw1 c1 alice
            room lobby -> gw1:1
            members lobby -> 1:alice
            """ },
        { "A room message leaves out the sending member connection", """
            add gw1 c1 alice; add gw1 c2 bob; add gw2 c3 carol
            join c1 lobby; join c2 lobby; join c3 lobby
            room lobby from c1 -> gw1:1 gw2:1
            room lobby from c3 -> gw1:2
            """ },
        { "A gateway left with no recipient but the sender gets nothing", """
            add gw1 c1 alice; add gw2 c2 bob
            join c1 lobby; join c2 lobby
            room lobby from c1 -> gw2:1
            """ },
        { "A room whose only member is the sender resolves to no one", """
            add gw1 c1 alice
            join c1 lobby
            room lobby from c1 -> nothing
            """ },
        { "The sender's other connections in the room still get the message", """
            add gw1 c1 alice; add gw1 c2 alice; add gw2 c3 alice
            join c1 lobby; join c2 lobby; join c3 lobby
            room lobby from c1 -> gw1:1 gw2:1
            """ },
        { "A sender that is not a member of the room leaves out no one", """
            // The gateway refuses such a send; should one arrive, no member loses the message.
            add gw1 c1 alice; add gw1 c2 bob
            join c2 lobby; join c1 kitchen
            room lobby from c1 -> gw1:1
            room lobby from never-seen -> gw1:1
            """ },
        { "A message to everyone reaches every connection but the sender's", """
            add gw1 c1 alice; add gw1 c2 alice; add gw2 c3 bob; add gw3 c4 carol
            everyone from c1 -> gw1:1 gw2:1 gw3:1
            everyone from c4 -> gw1:2 gw2:1
            everyone from never-seen -> gw1:2 gw2:1 gw3:1
            """ },
        { "A message to everyone from the only connection reaches no one", """
            everyone from c1 -> nothing
            add gw1 c1 alice
            everyone from c1 -> nothing
            """ },
        { "Everyone follows connections added and removed since it was last resolved", """
            add gw1 c1 alice
            everyone from sender -> gw1:1
            add gw2 c2 bob
            everyone from sender -> gw1:1 gw2:1
            remove c1
            everyone from sender -> gw2:1
            add gw2 c3 carol; add gw3 c4 dave
            everyone from sender -> gw2:2 gw3:1
            remove-gateway gw2
            everyone from sender -> gw3:1
            """ },
        { "A user's connections are counted on all gateways", """
            add gw1 c1 alice; add gw2 c2 alice; add gw2 c3 alice; add gw2 c4 bob
            connections of alice -> 3
            connections of bob -> 1
            connections of carol -> 0
            connections of Alice -> 0
            remove-gateway gw2
            connections of alice -> 1
            connections of bob -> 0
            """ },
        { "A room's members are each user once, sorted ordinally, with the member connection count", """
            add gw1 c1 bob; add gw2 c2 bob; add gw1 c3 alice; add gw1 c4 Zed; add gw2 c5 _x
            add gw2 c6 Alice; add gw2 c7 0day; add gw2 c8 eve
            join c1 lobby; join c2 lobby; join c3 lobby; join c4 lobby; join c5 lobby
            join c6 lobby; join c7 lobby
            members lobby -> 7:0day,Alice,Zed,_x,alice,bob
            """ },
        { "A user stays a member until their last member connection leaves", """
            add gw1 c1 alice; add gw2 c2 alice; add gw2 c3 bob
            join c1 lobby; join c2 lobby; join c3 lobby
            leave c1 lobby
            members lobby -> 2:alice,bob
            remove c2
            members lobby -> 1:bob
            """ },
        { "A user's connection that did not join does not make them a member", """
            add gw1 c1 alice; add gw1 c2 alice; add gw1 c3 bob
            join c3 lobby
            members lobby -> 1:bob
            room lobby -> gw1:1
            """ },
        { "Room changes are applied by kind", """
            apply 1 ConnectionAdded gw1 c1 alice
            apply 2 ConnectionAdded gw2 c2 bob
            apply 3 RoomJoined gw1 c1 alice lobby
            apply 4 RoomJoined gw2 c2 bob lobby
            room lobby -> gw1:1 gw2:1
            apply 5 RoomLeft gw1 c1 alice lobby
            room lobby -> gw2:1
            apply 6 ConnectionRemoved gw2 c2 bob
            room lobby -> nothing
            rooms -> 0
            """ },
        { "Room names are case-sensitive", """
            add gw1 c1 alice
            join c1 lobby
            room Lobby -> nothing
            members LOBBY -> 0:
            leave c1 Lobby
            room lobby -> gw1:1
            """ },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolves_as_the_case_says(string @case, string script) => Run(script, @case);

    [Fact]
    public void A_script_fails_on_an_answer_it_does_not_expect_and_on_a_line_it_cannot_read()
    {
        var wrong = Assert.Throws<FailException>(() => Run("""
            add gw1 c1 alice
            user alice -> gw2:1
            """));
        Assert.Contains("line 2: user alice -> gw2:1", wrong.Message);
        Assert.Contains("actual:   gw1:1", wrong.Message);
        Assert.Throws<ArgumentException>(() => Run("add gw1 c1"));
        Assert.Throws<ArgumentException>(() => Run("user -> nothing"));
    }

    [Fact]
    public void Resolved_recipients_are_a_snapshot_that_later_changes_do_not_alter()
    {
        // Routing reads the list after the cache lock is released.
        Run("add gw1 c1 alice");
        var user = _state.Resolve(MessageTarget.User("alice"), "sender");
        var connection = _state.Resolve(MessageTarget.Connection("c1"), "sender");

        Run("""
            add gw1 c2 alice
            add gw2 c3 alice
            remove-gateway gw1
            """);

        Assert.Equal([new GatewayRecipients("gw1", 1)], user);
        Assert.Equal([new GatewayRecipients("gw1", 1)], connection);
    }

    [Fact]
    public void An_unknown_target_kind_resolves_nothing()
    {
        Run("add gw1 c1 alice");

        Assert.Empty(_state.Resolve(new MessageTarget((TargetKind)99, "alice"), "sender"));
    }

    [Fact]
    public void Room_recipients_are_built_once_and_reused_until_the_room_changes()
    {
        Run("""
            add gw1 c1 alice
            add gw2 c2 bob
            add gw3 c3 carol
            join c1 lobby
            join c2 lobby
            """);

        var first = _state.Resolve(MessageTarget.Room("lobby"), "outsider");
        Assert.Same(first, _state.Resolve(MessageTarget.Room("lobby"), "outsider"));

        Run("join c3 lobby");
        var afterJoin = _state.Resolve(MessageTarget.Room("lobby"), "outsider");
        Assert.NotSame(first, afterJoin);
        Assert.Same(afterJoin, _state.Resolve(MessageTarget.Room("lobby"), "outsider"));

        Run("leave c1 lobby");
        Assert.NotSame(afterJoin, _state.Resolve(MessageTarget.Room("lobby"), "outsider"));
        Assert.Equal("gw1:1 gw2:1", Describe(first));
        Assert.Equal("gw1:1 gw2:1 gw3:1", Describe(afterJoin));
    }

    [Fact]
    public void Changes_elsewhere_do_not_rebuild_a_rooms_recipients()
    {
        Run("""
            add gw1 c1 alice
            add gw1 c2 bob
            join c1 lobby
            """);
        var first = _state.Resolve(MessageTarget.Room("lobby"), "outsider");

        Run("""
            join c2 kitchen
            add gw2 c3 carol
            remove c2
            """);

        Assert.Same(first, _state.Resolve(MessageTarget.Room("lobby"), "outsider"));
    }

    [Fact]
    public void Everyone_is_built_once_and_reused_until_a_connection_comes_or_goes()
    {
        Run("add gw1 c1 alice");
        var first = _state.Resolve(MessageTarget.Everyone, "outsider");
        Assert.Same(first, _state.Resolve(MessageTarget.Everyone, "outsider"));

        // Rooms do not change who everyone is.
        Run("join c1 lobby");
        Assert.Same(first, _state.Resolve(MessageTarget.Everyone, "outsider"));

        Run("add gw1 c2 bob");
        var second = _state.Resolve(MessageTarget.Everyone, "outsider");
        Assert.NotSame(first, second);
        Assert.Equal("gw1:1", Describe(first));
        Assert.Equal("gw1:2", Describe(second));
    }

    [Fact]
    public void A_users_recipients_are_built_once_and_reused_until_the_user_changes()
    {
        Run("add gw1 c1 alice");
        var first = _state.Resolve(MessageTarget.User("alice"), "sender");
        Assert.Same(first, _state.Resolve(MessageTarget.User("alice"), "sender"));

        Run("add gw2 c2 alice");

        Assert.NotSame(first, _state.Resolve(MessageTarget.User("alice"), "sender"));
    }

    [Fact]
    public void Resolved_room_recipients_are_a_snapshot_that_later_changes_do_not_alter()
    {
        Run("""
            add gw1 c1 alice
            add gw2 c2 bob
            join c1 lobby
            join c2 lobby
            """);
        var everyMember = _state.Resolve(MessageTarget.Room("lobby"), "outsider");
        var butTheSender = _state.Resolve(MessageTarget.Room("lobby"), "c1");

        Run("""
            leave c2 lobby
            add gw1 c3 carol
            join c3 lobby
            remove-gateway gw1
            """);

        Assert.Equal("gw1:1 gw2:1", Describe(everyMember));
        Assert.Equal("gw2:1", Describe(butTheSender));
    }

    [Fact]
    public void Many_connections_joining_and_leaving_rooms_keep_the_counts_consistent()
    {
        for (var i = 0; i < 300; i++)
        {
            _state.Add($"gw{i % 3}", $"c{i}", $"user{i % 10}");
            _state.Join($"c{i}", $"room{i % 4}");
            _state.Join($"c{i}", "all");
        }

        for (var i = 0; i < 300; i += 2)
        {
            _state.Leave($"c{i}", "all");
        }

        _state.RemoveGateway("gw0");

        // Left: odd i not on gw0 (i % 3 != 0), 100 of them.
        var left = Enumerable.Range(0, 300).Where(i => i % 2 == 1 && i % 3 != 0).ToArray();
        Assert.Equal(left.Length, _state.MembersOf("all").Connections);
        Assert.Equal(
            string.Join(' ', left.GroupBy(i => $"gw{i % 3}").Select(g => $"{g.Key}:{g.Count()}").Order(StringComparer.Ordinal)),
            Describe(_state.Resolve(MessageTarget.Room("all"), "outsider")));
        Assert.Equal(
            [.. left.Select(i => $"user{i % 10}").Distinct().Order(StringComparer.Ordinal)],
            _state.MembersOf("all").Users);
        Assert.Equal(200, Enumerable.Range(0, 4).Sum(r => _state.MembersOf($"room{r}").Connections));
    }

    /// <summary>
    /// Runs a script against the registry, a line at a time; blank lines and <c>//</c> comments
    /// are skipped. A line is a change, or several separated by <c>;</c>:
    /// <code>
    /// add GATEWAY CONNECTION USER        remove CONNECTION        remove-gateway GATEWAY
    /// join CONNECTION ROOM               leave CONNECTION ROOM
    /// apply SEQUENCE KIND GATEWAY [CONNECTION USER [ROOM]]      (a RegistryChange, applied)
    /// </code>
    /// or, with <c>-&gt;</c>, what the registry must answer now:
    /// <code>
    /// user USER -> gw1:2 gw2:1           recipients per gateway, in ordinal order, or "nothing"
    /// connection CONNECTION -> ...       (the sender is "sender")
    /// room ROOM [from SENDER] -> ...     (the sender is "outsider" unless given)
    /// everyone from SENDER -> ...
    /// members ROOM -> 2:alice,bob        member connections, then the users in order
    /// connections of USER -> 3           the user's connections on all gateways
    /// connections -> 4, users -> 2, rooms -> 1     the totals
    /// </code>
    /// </summary>
    private void Run(string script, string? @case = null)
    {
        var number = 0;
        foreach (var text in script.Split('\n'))
        {
            number++;
            var line = text.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var arrow = line.IndexOf("->", StringComparison.Ordinal);
            if (arrow < 0)
            {
                foreach (var change in line.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    Change(Words(change), change);
                }

                continue;
            }

            var expected = line[(arrow + 2)..].Trim();
            var actual = Answer(Words(line[..arrow]), line);
            if (actual != expected)
            {
                Assert.Fail($"{@case ?? "the script"}, line {number}: {line}\n  expected: {expected}\n  actual:   {actual}");
            }
        }
    }

    private void Change(string[] words, string line)
    {
        switch (words)
        {
            case ["add", var gateway, var connection, var user]:
                _state.Add(gateway, connection, user);
                break;
            case ["remove", var connection]:
                _state.Remove(connection);
                break;
            case ["remove-gateway", var gateway]:
                _state.RemoveGateway(gateway);
                break;
            case ["join", var connection, var room]:
                _state.Join(connection, room);
                break;
            case ["leave", var connection, var room]:
                _state.Leave(connection, room);
                break;
            case ["apply", var sequence, var kind, var gateway, .. var rest] when rest.Length <= 3:
                _state.Apply(new RegistryChange(
                    long.Parse(sequence, CultureInfo.InvariantCulture),
                    Enum.Parse<RegistryChangeKind>(kind),
                    gateway,
                    rest.ElementAtOrDefault(0),
                    rest.ElementAtOrDefault(1),
                    rest.ElementAtOrDefault(2)));
                break;
            default:
                throw new ArgumentException($"not a change: {line}", nameof(line));
        }
    }

    private string Answer(string[] words, string line) => words switch
    {
        ["user", var user] => Describe(_state.Resolve(MessageTarget.User(user), "sender")),
        ["connection", var connection] => Describe(_state.Resolve(MessageTarget.Connection(connection), "sender")),
        ["room", var room] => Describe(_state.Resolve(MessageTarget.Room(room), "outsider")),
        ["room", var room, "from", var sender] => Describe(_state.Resolve(MessageTarget.Room(room), sender)),
        ["everyone", "from", var sender] => Describe(_state.Resolve(MessageTarget.Everyone, sender)),
        ["members", var room] => Members(room),
        ["connections", "of", var user] => Count(_state.ConnectionsOf(user)),
        ["connections"] => Count(_state.ConnectionCount),
        ["users"] => Count(_state.UserCount),
        ["rooms"] => Count(_state.RoomCount),
        _ => throw new ArgumentException($"not a question: {line}", nameof(line)),
    };

    /// <summary>"connections:user,user".</summary>
    private string Members(string room)
    {
        var (connections, users) = _state.MembersOf(room);
        return $"{connections}:{string.Join(',', users)}";
    }

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // The order of gateways is not part of the contract.
    private static string Describe(IReadOnlyList<GatewayRecipients> recipients) =>
        recipients.Count == 0 ? "nothing" : string.Join(' ', recipients.Select(r => $"{r.GatewayId}:{r.Connections}").Order(StringComparer.Ordinal));
}
