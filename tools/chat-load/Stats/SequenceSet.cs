using System.Numerics;

namespace ChatPlatform.Load.Stats;

/// <summary>
/// A set of message sequence numbers from one sender, as bits: one sender's numbers run from 0 up
/// without gaps, so a run's worth (rate × duration) takes a bit each. Not thread-safe.
/// </summary>
internal sealed class SequenceSet
{
    private ulong[] _words = new ulong[4];

    /// <summary>Adds <paramref name="sequence"/>; false when it was already there.</summary>
    public bool Add(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        var word = (int)(sequence >> 6);
        if (word >= _words.Length)
        {
            Array.Resize(ref _words, Math.Max(word + 1, _words.Length * 2));
        }

        var bit = 1UL << (int)(sequence & 63);
        if ((_words[word] & bit) != 0)
        {
            return false;
        }

        _words[word] |= bit;
        return true;
    }

    public bool Contains(long sequence)
    {
        var word = sequence >> 6;
        return sequence >= 0 && word < _words.Length && (_words[word] & (1UL << (int)(sequence & 63))) != 0;
    }

    /// <summary>How many numbers are in both sets.</summary>
    public long CountCommon(SequenceSet other)
    {
        long common = 0;
        var words = Math.Min(_words.Length, other._words.Length);
        for (var i = 0; i < words; i++)
        {
            common += BitOperations.PopCount(_words[i] & other._words[i]);
        }

        return common;
    }

    public long Count => _words.Sum(word => (long)BitOperations.PopCount(word));
}
