import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback fake of the WeChat server API a mini-program backend calls
 * (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/): `GET /sns/jscode2session`,
 * `POST /cgi-bin/stable_token`, `POST /wxa/business/getuserphonenumber`. It checks the app id and
 * secret, single-use login codes, the access token on the phone call, and answers with WeChat's
 * documented shapes and errcodes (40029 invalid code, 40163 code used, 45011 frequency limit,
 * 40125 invalid secret).
 */
export interface WechatFake {
  url: string;
  /** login code → the user it stands for */
  codes: Map<string, { openid: string; unionid?: string }>;
  /** phone code → mainland number */
  phoneCodes: Map<string, string>;
  /** errcode to give on the next jscode2session call */
  failNextLogin?: number;
  calls: string[];
  close(): Promise<void>;
}

export async function wechatFake(app: { appId: string; appSecret: string }): Promise<WechatFake> {
  const used = new Set<string>();
  const token = `fake-access-token-${Math.random().toString(36).slice(2)}`;
  const fake: WechatFake = { url: "", codes: new Map(), phoneCodes: new Map(), calls: [], close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    fake.calls.push(url.pathname);
    const send = (o: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(o));
    if (req.method === "GET" && url.pathname === "/sns/jscode2session") {
      const q = url.searchParams;
      if (q.get("appid") !== app.appId) return send({ errcode: 40013, errmsg: "invalid appid" });
      if (q.get("secret") !== app.appSecret) return send({ errcode: 40125, errmsg: "invalid appsecret" });
      if (q.get("grant_type") !== "authorization_code") return send({ errcode: 40002, errmsg: "invalid grant_type" });
      if (fake.failNextLogin) {
        const errcode = fake.failNextLogin;
        fake.failNextLogin = undefined;
        return send({ errcode, errmsg: errcode === 45011 ? "api minute-quota reach limit  mustslower  retry next minute" : "error" });
      }
      const code = q.get("js_code") ?? "";
      if (used.has(code)) return send({ errcode: 40163, errmsg: "code been used" });
      const user = fake.codes.get(code);
      if (!user) return send({ errcode: 40029, errmsg: "invalid code" });
      used.add(code);
      return send({ openid: user.openid, session_key: "tiihtNczf5v6AKRyjwEUhQ==", ...(user.unionid ? { unionid: user.unionid } : {}) });
    }
    if (req.method === "POST" && url.pathname === "/cgi-bin/stable_token") {
      if (body.appid !== app.appId || body.secret !== app.appSecret || body.grant_type !== "client_credential") return send({ errcode: 40125, errmsg: "invalid appsecret" });
      return send({ access_token: token, expires_in: 7200 });
    }
    if (req.method === "POST" && url.pathname === "/wxa/business/getuserphonenumber") {
      if (url.searchParams.get("access_token") !== token) return send({ errcode: 40001, errmsg: "invalid credential, access_token is invalid or not latest" });
      const phone = fake.phoneCodes.get(body.code);
      if (!phone || used.has(`p:${body.code}`)) return send({ errcode: 40029, errmsg: "invalid code" });
      used.add(`p:${body.code}`);
      return send({ errcode: 0, errmsg: "ok", phone_info: { phoneNumber: phone, purePhoneNumber: phone, countryCode: "86", watermark: { timestamp: 1637744274, appid: app.appId } } });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((r) => server.close(() => r()));
  return fake;
}
