using ChatPlatform.Router.Registry;

namespace ChatPlatform.Router.Tests.Registry;

public sealed class TallyTests
{
    private readonly Tally _tally = new();

    [Fact]
    public void A_new_tally_is_empty()
    {
        Assert.Equal(0, _tally.Total);
        Assert.Empty(_tally.Keys);
        Assert.Empty(_tally.Recipients);
    }

    [Fact]
    public void Counts_are_kept_per_key_and_in_total()
    {
        _tally.Add("gw1");
        _tally.Add("gw2");
        _tally.Add("gw1");

        Assert.Equal(3, _tally.Total);
        Assert.Equal(["gw1", "gw2"], _tally.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([new GatewayRecipients("gw1", 2), new GatewayRecipients("gw2", 1)], _tally.Recipients.OrderBy(r => r.GatewayId, StringComparer.Ordinal));
    }

    [Fact]
    public void Removing_reports_whether_the_key_has_no_count_left()
    {
        _tally.Add("gw1");
        _tally.Add("gw1");
        _tally.Add("gw2");

        Assert.False(_tally.Remove("gw1"));
        Assert.Equal([new GatewayRecipients("gw1", 1), new GatewayRecipients("gw2", 1)], _tally.Recipients.OrderBy(r => r.GatewayId, StringComparer.Ordinal));

        Assert.True(_tally.Remove("gw1"));
        Assert.Equal(["gw2"], _tally.Keys);
        Assert.Equal([new GatewayRecipients("gw2", 1)], _tally.Recipients);
        Assert.Equal(1, _tally.Total);
    }

    [Fact]
    public void Keys_are_case_sensitive()
    {
        _tally.Add("gw1");
        _tally.Add("GW1");

        Assert.Equal(2, _tally.Keys.Count());
        Assert.True(_tally.Remove("GW1"));
        Assert.Equal([new GatewayRecipients("gw1", 1)], _tally.Recipients);
    }

    [Fact]
    public void Recipients_are_built_once_and_reused_until_a_change()
    {
        _tally.Add("gw1");
        var first = _tally.Recipients;

        Assert.Same(first, _tally.Recipients);

        _tally.Add("gw1");
        var afterAdd = _tally.Recipients;
        Assert.NotSame(first, afterAdd);
        Assert.Same(afterAdd, _tally.Recipients);

        _tally.Remove("gw1");
        Assert.NotSame(afterAdd, _tally.Recipients);
    }

    [Fact]
    public void Recipients_already_handed_out_do_not_change_with_the_tally()
    {
        _tally.Add("gw1");
        var before = _tally.Recipients;

        _tally.Add("gw1");
        _tally.Add("gw2");
        _tally.Remove("gw1");
        _tally.Remove("gw1");

        Assert.Equal([new GatewayRecipients("gw1", 1)], before);
        Assert.Equal([new GatewayRecipients("gw2", 1)], _tally.Recipients);
    }

    [Fact]
    public void A_tally_in_a_dictionary_is_created_on_its_first_count_and_dropped_with_its_last()
    {
        var tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);

        Tally.Add(tallies, "alice", "gw1");
        Tally.Add(tallies, "alice", "gw2");
        Tally.Add(tallies, "bob", "gw1");
        Assert.Equal(2, tallies["alice"].Total);
        Assert.Equal(1, tallies["bob"].Total);

        Tally.Remove(tallies, "alice", "gw1");
        Assert.Equal([new GatewayRecipients("gw2", 1)], tallies["alice"].Recipients);

        Tally.Remove(tallies, "alice", "gw2");
        Assert.False(tallies.ContainsKey("alice"));
        Assert.True(tallies.ContainsKey("bob"));
    }
}
