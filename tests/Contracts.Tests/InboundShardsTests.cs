namespace ChatPlatform.Contracts.Tests;

public sealed class InboundShardsTests
{
    // Published FNV-1a 32-bit test vectors; for ASCII the UTF-16 code units equal the bytes.
    [Theory]
    [InlineData("", 0x811C9DC5u)]
    [InlineData("a", 0xE40C292Cu)]
    [InlineData("b", 0xE70C2DE5u)]
    [InlineData("foobar", 0xBF9CF968u)]
    public void The_shard_is_the_fnv1a_hash_of_the_id_modulo_the_shard_count(string id, uint hash)
    {
        foreach (var shards in new[] { 1, 2, 3, 16, 1000, 65_521, int.MaxValue })
        {
            Assert.Equal((int)(hash % (uint)shards), InboundShards.Of(id, shards));
        }
    }

    [Theory]
    [InlineData("é")]
    [InlineData("ü-ā-中-🎉")]
    public void Non_ascii_ids_hash_their_utf16_code_units_not_their_utf8_bytes(string id)
    {
        const int shards = 1_000_003;

        var utf16 = Fnv1a(id.Select(c => (uint)c));
        var utf8 = Fnv1a(System.Text.Encoding.UTF8.GetBytes(id).Select(b => (uint)b));

        Assert.NotEqual(utf16 % shards, utf8 % shards);
        Assert.Equal((int)(utf16 % shards), InboundShards.Of(id, shards));
    }

    [Fact]
    public void The_same_id_always_maps_to_the_same_shard()
    {
        var id = "3f9a0c1be2d47a85";

        var first = InboundShards.Of(id, 16);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(first, InboundShards.Of(new string(id.AsSpan()), 16));
        }
    }

    [Fact]
    public void Shards_are_always_within_range()
    {
        var random = new Random(7);
        foreach (var shards in new[] { 1, 2, 7, 16, 64, 1023, int.MaxValue })
        {
            for (var i = 0; i < 2_000; i++)
            {
                var shard = InboundShards.Of(RandomHexId(random), shards);
                Assert.InRange(shard, 0, shards - 1);
            }
        }
    }

    [Fact]
    public void Random_connection_ids_spread_evenly_over_the_shards()
    {
        const int shards = 16;
        const int ids = 16 * 1024;
        var random = new Random(20240601);
        var counts = new int[shards];

        for (var i = 0; i < ids; i++)
        {
            counts[InboundShards.Of(RandomHexId(random), shards)]++;
        }

        var mean = ids / shards;
        Assert.All(counts, count => Assert.InRange(count, mean * 3 / 4, mean * 5 / 4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_shard_count_below_one_is_refused(int shards)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InboundShards.Of("abc", shards));
    }

    // Connection ids are 8 random bytes in lower-case hex, as the gateway makes them.
    private static string RandomHexId(Random random)
    {
        Span<byte> bytes = stackalloc byte[8];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private static uint Fnv1a(IEnumerable<uint> units)
    {
        var hash = 2166136261u;
        foreach (var unit in units)
        {
            hash ^= unit;
            hash *= 16777619u;
        }

        return hash;
    }
}
