using System.Globalization;

namespace ChatPlatform.Gateway.History;

/// <summary>
/// Where a session starts in a stream: the messages after <see cref="Offset"/> of
/// <see cref="Epoch"/> are its to recover; in another epoch, what it missed is gone. Stored in
/// the session hash as <c>{epoch} {offset}</c>.
/// </summary>
internal readonly record struct StreamStart(string Epoch, long Offset)
{
    public string Format() => Epoch + " " + Offset.ToString(CultureInfo.InvariantCulture);

    public static StreamStart? Parse(string value)
    {
        var space = value.LastIndexOf(' ');
        return space >= 0 && long.TryParse(value.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? new StreamStart(value[..space], offset)
            : null;
    }
}
