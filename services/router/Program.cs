using ChatPlatform.Router;
using ChatPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("router");
builder.Services.AddRouterServices();

var app = builder.Build();
app.MapDefaultEndpoints();
return app.RunService();
