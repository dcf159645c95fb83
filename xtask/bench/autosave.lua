-- wrk script for `cargo xtask bench api`: each connection (one per thread)
-- creates its own draft, then autosaves it again and again with the ETag
-- of its last answer in If-Match, as the wizard does; one request in ten
-- asks for a resume-link email (queued for the sender, when there is one).

local id, token, etag
local saves = 0

local function body(n)
  return string.format([[{"model":"indirect_reseller","mpn_id":"%07d","company":{"legal_name":"Contoso Ltd","website":"https://contoso.com"},"address":{"country":"DE","lines":["Unter den Linden 1"],"locality":"Berlin","postal_code":"10117"},"bank":{"country":"DE","account_holder":"Contoso Ltd","iban":"DE89 3704 0044 0532 0130 00","bic":"COBADEFFXXX"},"admin":{"first_name":"Jane","last_name":"Doe","email":"jane.doe@contoso.com"},"tenant":{"csp_domain":"contoso.onmicrosoft.com"},"attestations":{"no_resale_to_csp_partners":true,"terms_accepted":true}}]], n % 10000000)
end

request = function()
  local headers = { ["Content-Type"] = "application/json" }
  if not id then
    return wrk.format("POST", "/api/v1/applications", headers, "{}")
  end
  saves = saves + 1
  headers["Authorization"] = "Bearer " .. token
  if saves % 10 == 0 then
    return wrk.format("POST", "/api/v1/applications/" .. id .. "/resume-email", headers, "{}")
  end
  headers["If-Match"] = etag
  return wrk.format("PUT", "/api/v1/applications/" .. id, headers, body(saves))
end

response = function(status, headers, text)
  if status == 201 then
    id = string.match(text, '"id":"(%x+)"')
    token = string.match(text, '"resume_token":"(%x+)"')
  end
  etag = headers["etag"] or headers["ETag"] or etag
end
