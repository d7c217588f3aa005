using System.Globalization;

namespace ChatPlatform.Contracts.Registry;

/// <summary>
/// The text form of a <see cref="RegistryChange"/>, the one owner of that format: presence's Lua
/// scripts write it with <see cref="LuaEncoder"/>, routers read it with <see cref="Parse"/>, and
/// <see cref="Format"/> writes it from C#. Fields are separated by <c>\n</c>, the user id last so
/// it may contain any other character.
/// <code>
/// {seq}\n+\n{gateway}\n{connection}\n{user}           connection added
/// {seq}\n-\n{gateway}\n{connection}\n{user}           connection removed
/// {seq}\nG\n{gateway}                                 gateway removed
/// {seq}\nJ\n{gateway}\n{connection}\n{room}\n{user}   room joined
/// {seq}\nL\n{gateway}\n{connection}\n{room}\n{user}   room left
/// </code>
/// </summary>
public static class RegistryChangeCodec
{
    private const char Separator = '\n';

    private const string Added = "+";
    private const string Removed = "-";
    private const string GatewayGone = "G";
    private const string Joined = "J";
    private const string Left = "L";

    /// <summary>
    /// Lua functions that write each change, for presence's scripts to concatenate in front of
    /// their own code; each takes the change's sequence number first. A golden test runs them in
    /// Redis and compares their text with <see cref="Format"/>'s.
    /// </summary>
    public const string LuaEncoder = $$"""
        -- Registry changes ({{nameof(RegistryChangeCodec)}}): the text routers parse.
        local function registry_change(seq, kind, ...)
          return table.concat({ seq, kind, ... }, '\n')
        end
        local function change_added(seq, gateway, connection, user)
          return registry_change(seq, '{{Added}}', gateway, connection, user)
        end
        local function change_removed(seq, gateway, connection, user)
          return registry_change(seq, '{{Removed}}', gateway, connection, user)
        end
        local function change_gateway_removed(seq, gateway)
          return registry_change(seq, '{{GatewayGone}}', gateway)
        end
        local function change_joined(seq, gateway, connection, room, user)
          return registry_change(seq, '{{Joined}}', gateway, connection, room, user)
        end
        local function change_left(seq, gateway, connection, room, user)
          return registry_change(seq, '{{Left}}', gateway, connection, room, user)
        end

        """;

    /// <summary>The text of <paramref name="change"/>, as the scripts write it.</summary>
    public static string Format(RegistryChange change) => change.Kind switch
    {
        RegistryChangeKind.ConnectionAdded => Text(change.Sequence, Added, change.GatewayId, change.ConnectionId, change.UserId),
        RegistryChangeKind.ConnectionRemoved => Text(change.Sequence, Removed, change.GatewayId, change.ConnectionId, change.UserId),
        RegistryChangeKind.GatewayRemoved => Text(change.Sequence, GatewayGone, change.GatewayId),
        RegistryChangeKind.RoomJoined => Text(change.Sequence, Joined, change.GatewayId, change.ConnectionId, change.Room, change.UserId),
        RegistryChangeKind.RoomLeft => Text(change.Sequence, Left, change.GatewayId, change.ConnectionId, change.Room, change.UserId),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "Unknown registry change kind."),
    };

    public static RegistryChange Parse(string text)
    {
        var head = text.Split(Separator, 3);
        if (head.Length < 3 || !long.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            throw Malformed(text);
        }

        var (kind, fields) = head[1] switch
        {
            Added => (RegistryChangeKind.ConnectionAdded, 3),
            Removed => (RegistryChangeKind.ConnectionRemoved, 3),
            GatewayGone => (RegistryChangeKind.GatewayRemoved, 1),
            Joined => (RegistryChangeKind.RoomJoined, 4),
            Left => (RegistryChangeKind.RoomLeft, 4),
            _ => throw Malformed(text),
        };
        // Only a trailing user id may contain the separator; a gateway removal has none.
        var parts = head[2].Split(Separator, kind == RegistryChangeKind.GatewayRemoved ? 2 : fields);
        if (parts.Length != fields)
        {
            throw Malformed(text);
        }

        return fields switch
        {
            1 => new RegistryChange(sequence, kind, parts[0]),
            3 => new RegistryChange(sequence, kind, parts[0], parts[1], parts[2]),
            _ => new RegistryChange(sequence, kind, parts[0], parts[1], parts[3], parts[2]),
        };
    }

    private static string Text(long sequence, string kind, params string?[] fields) =>
        Array.IndexOf(fields, null) < 0
            ? string.Join(Separator, [sequence.ToString(CultureInfo.InvariantCulture), kind, .. fields])
            : throw new ArgumentException($"A '{kind}' registry change needs all its fields.", nameof(fields));

    private static FormatException Malformed(string text) => new($"Malformed registry change '{text}'.");
}
