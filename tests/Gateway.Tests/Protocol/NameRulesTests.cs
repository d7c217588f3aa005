using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Tests.Protocol;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("bob")]
    [InlineData("Alice_01")]
    [InlineData("a.b-c_d")]
    [InlineData("...")]
    [InlineData("3f9a0c1be2d47a85")]
    public void Letters_digits_dashes_underscores_and_dots_are_valid(string name)
    {
        Assert.True(NameRules.IsValidUser(name));
        Assert.True(NameRules.IsValidConnectionId(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("no spaces")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a\nb")]
    [InlineData("a\0")]
    [InlineData("élève")]
    [InlineData("ａｂｃ")]
    [InlineData("١٢٣")]
    [InlineData("a+b")]
    [InlineData("bob@example")]
    public void Anything_else_is_invalid(string name)
    {
        Assert.False(NameRules.IsValidUser(name));
        Assert.False(NameRules.IsValidConnectionId(name));
    }

    [Fact]
    public void Names_may_be_64_characters_but_not_65()
    {
        Assert.True(NameRules.IsValidUser(new string('a', NameRules.MaxUserLength)));
        Assert.False(NameRules.IsValidUser(new string('a', NameRules.MaxUserLength + 1)));
        Assert.True(NameRules.IsValidConnectionId(new string('a', NameRules.MaxConnectionIdLength)));
        Assert.False(NameRules.IsValidConnectionId(new string('a', NameRules.MaxConnectionIdLength + 1)));
        Assert.Equal(64, NameRules.MaxUserLength);
        Assert.Equal(64, NameRules.MaxConnectionIdLength);
    }

    [Fact]
    public void Every_ascii_character_is_judged_by_the_documented_set()
    {
        for (var c = '\0'; c < 128; c++)
        {
            var allowed = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.';
            var name = "x" + c + "y";

            Assert.True(allowed == NameRules.IsValidUser(name), $"user name with U+{(int)c:X4}");
            Assert.True(allowed == NameRules.IsValidConnectionId(name), $"connection id with U+{(int)c:X4}");
        }
    }
}
