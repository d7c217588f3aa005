using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;

namespace ChatPlatform.Contracts.Tests.Golden;

/// <summary>
/// Fixed examples of the two formats presence's Lua scripts write: the bytes each must be, the
/// value they stand for, and the Lua call that writes them. The codecs' tests check the C# side
/// against them (encode and decode); Presence.Tests compiles this file in too and runs each Lua
/// call in a real Redis, so the Lua encoders are held to the very same bytes.
/// </summary>
public static class ScriptFormatGolden
{
    private static readonly (string Text, RegistryChange Change, string LuaCall)[] RegistryChangeExamples =
    [
        ("12\n+\ngw-1\nc-1\nalice",
            new RegistryChange(12, RegistryChangeKind.ConnectionAdded, "gw-1", "c-1", "alice"),
            "change_added(12, 'gw-1', 'c-1', 'alice')"),
        ("13\n-\ngw-1\nc-1\nal\nice",
            new RegistryChange(13, RegistryChangeKind.ConnectionRemoved, "gw-1", "c-1", "al\nice"),
            "change_removed(13, 'gw-1', 'c-1', 'al\\nice')"),
        ("14\nG\ngw-1",
            new RegistryChange(14, RegistryChangeKind.GatewayRemoved, "gw-1"),
            "change_gateway_removed(14, 'gw-1')"),
        ("15\nJ\ngw-1\nc-1\nlobby:main\nZoë",
            new RegistryChange(15, RegistryChangeKind.RoomJoined, "gw-1", "c-1", "Zoë", "lobby:main"),
            "change_joined(15, 'gw-1', 'c-1', 'lobby:main', 'Zoë')"),

        // A sequence as large as Lua prints without an exponent (14 significant digits).
        ("99999999999999\nL\ngw-1\nc-1\nlobby\nbob",
            new RegistryChange(99_999_999_999_999, RegistryChangeKind.RoomLeft, "gw-1", "c-1", "bob", "lobby"),
            "change_left(99999999999999, 'gw-1', 'c-1', 'lobby', 'bob')"),
    ];

    private static readonly (string Hex, MembershipEvent Event, string LuaCall)[] MembershipExamples =
    [
        ("06 01 01  05 6c6f626279  03 626f62  02 6339",
            new MembershipEvent(MembershipEventKind.Joined, "lobby", "bob", "c9"),
            "membership_event(membership_joined, 'lobby', 'bob', 'c9')"),

        // Lengths count UTF-8 bytes ("bøb" is 4); no excluded connection is an empty string.
        ("06 01 02  0e 726f6f6d3a776974682e646f7473  04 62c3b862  00",
            new MembershipEvent(MembershipEventKind.Left, "room:with.dots", "bøb", ""),
            "membership_event(membership_left, 'room:with.dots', 'bøb', '')"),

        // A 128-byte room: its length takes two varint bytes.
        ("06 01 01  8001 " + string.Concat(Enumerable.Repeat("72", 128)) + "  03 626f62  02 6339",
            new MembershipEvent(MembershipEventKind.Joined, new string('r', 128), "bob", "c9"),
            "membership_event(membership_joined, string.rep('r', 128), 'bob', 'c9')"),
    ];

    /// <summary>Each kind of registry change: its golden text and the change it stands for.</summary>
    public static TheoryData<string, RegistryChange> RegistryChanges =>
        Rows(RegistryChangeExamples, example => (example.Text, example.Change));

    /// <summary>Each golden registry change text, and the call to the Lua encoder that must write it.</summary>
    public static TheoryData<string, string> LuaRegistryChanges =>
        Rows(RegistryChangeExamples, example => (example.Text, example.LuaCall));

    /// <summary>Membership events: their golden bytes (hex, spaced by field) and the event.</summary>
    public static TheoryData<string, MembershipEvent> MembershipEvents =>
        Rows(MembershipExamples, example => (example.Hex, example.Event));

    /// <summary>Golden membership event bytes, and the call to the Lua encoder that must write them.</summary>
    public static TheoryData<string, string> LuaMembershipEvents =>
        Rows(MembershipExamples, example => (example.Hex, example.LuaCall));

    public static byte[] Bytes(string spacedHex) => Convert.FromHexString(spacedHex.Replace(" ", "", StringComparison.Ordinal));

    private static TheoryData<T1, T2> Rows<TExample, T1, T2>(IEnumerable<TExample> examples, Func<TExample, (T1, T2)> row)
    {
        var data = new TheoryData<T1, T2>();
        foreach (var (first, second) in examples.Select(row))
        {
            data.Add(first, second);
        }

        return data;
    }
}
