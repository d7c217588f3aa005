using System.Globalization;

namespace ChatPlatform.Contracts.Registry;

/// <summary>
/// Parses the text form of a <see cref="RegistryChange"/>, written by presence's Lua scripts: fields
/// separated by <c>\n</c>, the user id last so it may contain any other character.
/// <code>
/// {seq}\n+\n{gateway}\n{connection}\n{user}    connection added
/// {seq}\n-\n{gateway}\n{connection}\n{user}    connection removed
/// {seq}\nG\n{gateway}                          gateway removed
/// </code>
/// </summary>
public static class RegistryChangeCodec
{
    private const char Separator = '\n';
    private const string Added = "+";
    private const string Removed = "-";
    private const string GatewayRemoved = "G";

    public static RegistryChange Parse(string text)
    {
        var parts = text.Split(Separator, 5);
        if (parts.Length < 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            throw new FormatException($"Malformed registry change '{text}'.");
        }

        return (parts[1], parts.Length) switch
        {
            (Added, 5) => new RegistryChange(sequence, RegistryChangeKind.ConnectionAdded, parts[2], parts[3], parts[4]),
            (Removed, 5) => new RegistryChange(sequence, RegistryChangeKind.ConnectionRemoved, parts[2], parts[3], parts[4]),
            (GatewayRemoved, 3) => new RegistryChange(sequence, RegistryChangeKind.GatewayRemoved, parts[2], null, null),
            _ => throw new FormatException($"Malformed registry change '{text}'."),
        };
    }
}
