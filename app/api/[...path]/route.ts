import { AppError } from "@/lib/errors";

/** Any /api path no route claims: JSON 404, never the HTML not-found page. */
function notFound(): Response {
  return new AppError("not_found:api", "There is no such API endpoint.").toResponse();
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
