package io.llmanalytics.api;

import io.llmanalytics.observability.RequestIds;
import io.llmanalytics.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Adds the request's correlation id ({@code request_id}) to every problem document the API answers with, whether it
 * comes from an exception mapper, a request filter or a resource: a caller quoting it lets operators find the
 * matching log lines.
 */
public class ProblemRequestIds {

    @ServerResponseFilter
    public void addRequestId(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem
                && !problem.extensions().containsKey(RequestIds.KEY)) {
            String id = request.getHeaderString(RequestIds.HEADER);
            if (id != null) {
                response.setEntity(problem.with(RequestIds.KEY, id));
            }
        }
    }
}
