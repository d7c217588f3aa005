namespace ChatPlatform.Router.Registry;

/// <summary>
/// Counts per key: connections per gateway, or per user. The per-gateway form a message needs
/// is built on the first read after a change and then reused, so routing allocates nothing and
/// a large room that only gains members builds nothing.
/// </summary>
internal sealed class Tally
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private GatewayRecipients[]? _recipients;

    public GatewayRecipients[] Recipients =>
        _recipients ??= [.. _counts.Select(pair => new GatewayRecipients(pair.Key, pair.Value))];

    public int Total { get; private set; }

    public IEnumerable<string> Keys => _counts.Keys;

    public void Add(string key)
    {
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
        Total++;
        _recipients = null;
    }

    /// <returns>True when <paramref name="key"/> has no count left.</returns>
    public bool Remove(string key)
    {
        var count = _counts[key] - 1;
        if (count == 0)
        {
            _counts.Remove(key);
        }
        else
        {
            _counts[key] = count;
        }

        Total--;
        _recipients = null;
        return count == 0;
    }

    /// <summary>Adds to the tally of <paramref name="owner"/> in <paramref name="tallies"/>, creating it.</summary>
    public static void Add(Dictionary<string, Tally> tallies, string owner, string key)
    {
        if (!tallies.TryGetValue(owner, out var tally))
        {
            tallies.Add(owner, tally = new Tally());
        }

        tally.Add(key);
    }

    /// <summary>Removes from the tally of <paramref name="owner"/>, dropping it when empty.</summary>
    public static void Remove(Dictionary<string, Tally> tallies, string owner, string key)
    {
        var tally = tallies[owner];
        tally.Remove(key);
        if (tally.Total == 0)
        {
            tallies.Remove(owner);
        }
    }
}
