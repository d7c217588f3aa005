using System.Text;
using ChatPlatform.Client.Protocol;

namespace ChatPlatform.Client.Tests.Protocol;

public sealed class ClientFramesTests
{
    [Fact]
    public void Each_frame_follows_the_protocol()
    {
        var body = """{"text":"hi"}"""u8;

        Assert.Equal("""{"type":"send","id":"1","to":{"user":"bob"},"body":{"text":"hi"}}""", Text(ClientFrames.Send("1", ChatTarget.User("bob"), body)));
        Assert.Equal("""{"type":"send","id":"2","to":{"connection":"9f2c4e1a7b3d5f60"},"body":{"text":"hi"}}""", Text(ClientFrames.Send("2", ChatTarget.Connection("9f2c4e1a7b3d5f60"), body)));
        Assert.Equal("""{"type":"send","id":"3","to":{"room":"lobby"},"body":{"text":"hi"}}""", Text(ClientFrames.Send("3", ChatTarget.Room("lobby"), body)));
        Assert.Equal("""{"type":"send","id":"4","to":{"everyone":true},"body":{"text":"hi"}}""", Text(ClientFrames.Send("4", ChatTarget.Everyone, body)));
        Assert.Equal("""{"type":"join","id":"5","room":"lobby"}""", Text(ClientFrames.Join("5", "lobby")));
        Assert.Equal("""{"type":"leave","id":"6","room":"lobby"}""", Text(ClientFrames.Leave("6", "lobby")));
        Assert.Equal("""{"type":"presence","id":"7","room":"lobby"}""", Text(ClientFrames.RoomPresence("7", "lobby")));
        Assert.Equal("""{"type":"presence","id":"8","user":"bob"}""", Text(ClientFrames.UserPresence("8", "bob")));
        Assert.Equal("""{"type":"history","id":"9","room":"lobby","limit":50}""", Text(ClientFrames.RoomHistory("9", "lobby", 50, null)));
        Assert.Equal("""{"type":"history","id":"10","room":"lobby","limit":20,"before":120}""", Text(ClientFrames.RoomHistory("10", "lobby", 20, 120)));
        Assert.Equal("""{"type":"history","id":"11","user":true,"limit":100}""", Text(ClientFrames.DirectHistory("11", 100, null)));
        Assert.Equal("""{"type":"history","id":"12","user":true,"limit":1,"before":9007199254740993}""", Text(ClientFrames.DirectHistory("12", 1, 9007199254740993)));
    }

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);
}
