/*
 * A minimal stand-in for office.js, good enough for the task pane's REAL Office.js adapter
 * (src/addin/office/office-js-host.ts) to run in a plain browser. Browser tests route the
 * request for /office-js/office.js to this file.
 *
 * Configure with URL query parameters of the page, or with `window.__OFFICE_FAKE__ = {...}`
 * set before this script runs (e.g. Playwright's addInitScript); the object wins:
 *   fakeMailbox        mailbox address                      (default alice@corp.test)
 *   fakeAccountType    userProfile.accountType              (default: absent)
 *   fakeEwsUrl         mailbox.ewsUrl                       (default https://cas.corp.test/EWS/Exchange.asmx)
 *   fakeMailboxSet     highest Mailbox requirement set      (default 1.10)
 *   fakeIdentityToken  token getUserIdentityTokenAsync gives (default: the call fails)
 *   fakePartitionKey   Office.context.partitionKey          (default: absent)
 *   fakeTheme          "dark" or "light" officeTheme        (default: absent)
 *   fakeLaunchContext  item.getInitializationContextAsync   (default: none)
 *   fakeDisplayLanguage Office.context.displayLanguage      (default en-US)
 * What the pane did is recorded on `window.__officeFake`: notifications (by key) and calls.
 * Plain ES5, no dependencies.
 */
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  var cfg = window.__OFFICE_FAKE__ || {};
  function opt(name, fallback) {
    if (Object.prototype.hasOwnProperty.call(cfg, name)) return cfg[name];
    var v = params.get(name);
    return v === null ? fallback : v;
  }
  var mailbox = opt('fakeMailbox', 'alice@corp.test');
  var accountType = opt('fakeAccountType', undefined);
  var ewsUrl = opt('fakeEwsUrl', 'https://cas.corp.test/EWS/Exchange.asmx');
  var maxMailbox = opt('fakeMailboxSet', '1.10');
  var identityToken = opt('fakeIdentityToken', undefined);
  var partitionKey = opt('fakePartitionKey', undefined);
  var theme = opt('fakeTheme', undefined);
  var launchContext = opt('fakeLaunchContext', undefined);
  var displayLanguage = opt('fakeDisplayLanguage', 'en-US');

  function cmp(a, b) {
    var pa = String(a).split('.'),
      pb = String(b).split('.');
    for (var i = 0; i < Math.max(pa.length, pb.length); i++) {
      var d = (Number(pa[i]) || 0) - (Number(pb[i]) || 0);
      if (d !== 0) return d;
    }
    return 0;
  }
  function supported(name, version) {
    return name === 'Mailbox' && cmp(maxMailbox, version || '1.0') >= 0;
  }

  var record = { notifications: {}, calls: [] };
  window.__officeFake = record;

  function result(value) {
    return { status: 'succeeded', value: value, error: null, asyncContext: undefined };
  }
  function failure(code, name, message) {
    return {
      status: 'failed',
      value: undefined,
      error: { code: code, name: name, message: message },
      asyncContext: undefined,
    };
  }
  function later(callback, res) {
    if (typeof callback === 'function')
      setTimeout(function () {
        callback(res);
      }, 0);
  }
  function lastArg(args) {
    return args[args.length - 1];
  }

  var notificationMessages = {
    addAsync: function (key, details) {
      record.calls.push({ op: 'addAsync', key: key, type: details.type });
      record.notifications[key] = details;
      later(lastArg(arguments), result(undefined));
    },
    replaceAsync: function (key, details) {
      record.calls.push({ op: 'replaceAsync', key: key, type: details.type });
      if (details.type === 'insightMessage' && !supported('Mailbox', '1.10')) {
        later(
          lastArg(arguments),
          failure(9041, 'InvalidNotificationType', 'InsightMessage needs Mailbox 1.10'),
        );
        return;
      }
      record.notifications[key] = details;
      later(lastArg(arguments), result(undefined));
    },
    removeAsync: function (key) {
      record.calls.push({ op: 'removeAsync', key: key });
      delete record.notifications[key];
      later(lastArg(arguments), result(undefined));
    },
    getAllAsync: function () {
      var all = [];
      for (var k in record.notifications) all.push(record.notifications[k]);
      later(lastArg(arguments), result(all));
    },
  };

  var item = {
    itemId: 'AAMkAGFake=',
    itemType: 'message',
    notificationMessages: notificationMessages,
    getInitializationContextAsync: function () {
      later(
        lastArg(arguments),
        launchContext ? result(launchContext) : failure(9057, 'NoInitializationContext', 'none'),
      );
    },
  };

  var userProfile = { emailAddress: mailbox, displayName: mailbox.split('@')[0] };
  if (accountType && supported('Mailbox', '1.6')) userProfile.accountType = accountType;

  var context = {
    displayLanguage: displayLanguage,
    diagnostics: { host: 'Outlook', platform: 'OfficeOnline', version: '16.0.0.0' },
    requirements: { isSetSupported: supported },
    mailbox: {
      diagnostics: { hostName: 'OutlookWebApp', hostVersion: '15.20.0.0', OWAView: 'OneColumn' },
      userProfile: userProfile,
      ewsUrl: ewsUrl,
      item: item,
      getUserIdentityTokenAsync: function () {
        record.calls.push({ op: 'getUserIdentityTokenAsync' });
        later(
          lastArg(arguments),
          identityToken
            ? result(identityToken)
            : failure(9017, 'GenericTokenError', 'No identity token in the fake'),
        );
      },
    },
  };
  if (partitionKey) context.partitionKey = partitionKey;
  if (theme) {
    var dark = theme === 'dark';
    context.officeTheme = {
      isDarkTheme: dark,
      bodyBackgroundColor: dark ? '#1f1f1f' : '#ffffff',
      bodyForegroundColor: dark ? '#ffffff' : '#000000',
      controlBackgroundColor: dark ? '#2b2b2b' : '#f3f3f3',
      controlForegroundColor: dark ? '#ffffff' : '#000000',
      themeId: dark ? 'Black' : 'White',
    };
  }

  var info = { host: 'Outlook', platform: 'OfficeOnline' };
  window.Office = {
    context: context,
    onReady: function (callback) {
      return new Promise(function (resolve) {
        setTimeout(function () {
          if (typeof callback === 'function') callback(info);
          resolve(info);
        }, 0);
      });
    },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    HostType: { Outlook: 'Outlook' },
    PlatformType: { PC: 'PC', OfficeOnline: 'OfficeOnline', Mac: 'Mac' },
    MailboxEnums: {
      ItemNotificationMessageType: {
        ProgressIndicator: 'progressIndicator',
        InformationalMessage: 'informationalMessage',
        ErrorMessage: 'errorMessage',
        InsightMessage: 'insightMessage',
      },
      ActionType: { ShowTaskPane: 'showTaskPane' },
      ItemType: { Message: 'message', Appointment: 'appointment' },
    },
    __fake: true,
  };
})();
