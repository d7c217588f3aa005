using ChatPlatform.Presence;
using ChatPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("presence");
builder.Services.AddPresenceServices();

var app = builder.Build();
app.MapDefaultEndpoints();
return app.RunService();
