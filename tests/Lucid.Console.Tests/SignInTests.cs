using Microsoft.Playwright;

namespace Lucid.Console.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class SignInTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_page_asks_for_a_key_and_a_wrong_key_is_refused()
    {
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.Server.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/sessions");
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
        await ConsoleFixture.ScreenshotAsync(page, "login");
        await ConsoleFixture.AssertAccessibleAsync(page);

        await page.GetByLabel("API key").FillAsync("lucid_sk_not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        var cookies = await context.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name == "lucid_console");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Signing_in_sets_an_http_only_strict_cookie_and_signing_out_ends_it()
    {
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "lucid_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/console", cookie.Path);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sessions" })).ToBeVisibleAsync();
        await ConsoleFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/console/login**");
        await page.GotoAsync("/console/sessions");
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_form_posted_without_the_antiforgery_token_is_refused()
    {
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        // The browser's own cookies go along (signed in, and the antiforgery cookie), but the form lacks the token.
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("_handler", "logout");
        var response = await page.Context.APIRequest.PostAsync("/console/logout", new() { Form = form });
        Assert.Equal(400, response.Status);
        await page.GotoAsync("/console/sessions");
        Assert.EndsWith("/console/sessions", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
