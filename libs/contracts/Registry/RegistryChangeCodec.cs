using System.Globalization;

namespace ChatPlatform.Contracts.Registry;

/// <summary>
/// Parses the text form of a <see cref="RegistryChange"/>, written by presence's Lua scripts:
/// fields separated by <c>\n</c>, the user id last so it may contain any other character.
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

    public static RegistryChange Parse(string text)
    {
        var head = text.Split(Separator, 3);
        if (head.Length < 3 || !long.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            throw Malformed(text);
        }

        var (kind, fields) = head[1] switch
        {
            "+" => (RegistryChangeKind.ConnectionAdded, 3),
            "-" => (RegistryChangeKind.ConnectionRemoved, 3),
            "G" => (RegistryChangeKind.GatewayRemoved, 1),
            "J" => (RegistryChangeKind.RoomJoined, 4),
            "L" => (RegistryChangeKind.RoomLeft, 4),
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

    private static FormatException Malformed(string text) => new($"Malformed registry change '{text}'.");
}
