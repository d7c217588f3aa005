extern alias load;

using load::ChatPlatform.Load.Stats;

namespace ChatPlatform.Client.Tests.Load;

public sealed class SequenceSetTests
{
    [Fact]
    public void A_number_is_added_once_and_the_set_grows_as_needed()
    {
        var set = new SequenceSet();
        Assert.True(set.Add(0));
        Assert.True(set.Add(100_000));
        Assert.False(set.Add(100_000));
        Assert.True(set.Contains(0));
        Assert.False(set.Contains(1));
        Assert.False(set.Contains(-1));
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void Common_numbers_are_counted_across_sets_of_different_sizes()
    {
        var acked = new SequenceSet();
        var received = new SequenceSet();
        for (var i = 0; i < 1000; i++)
        {
            acked.Add(i);
        }

        foreach (var i in new[] { 3, 64, 999, 5000 })
        {
            received.Add(i);
        }

        Assert.Equal(3, received.CountCommon(acked));
        Assert.Equal(3, acked.CountCommon(received));
    }
}
