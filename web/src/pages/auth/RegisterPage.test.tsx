import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { MemoryRouter } from 'react-router-dom'
import RegisterPage from './RegisterPage'

function renderPage() {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter initialEntries={['/register']}>
        <RegisterPage />
      </MemoryRouter>
    </QueryClientProvider>,
  )
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('RegisterPage', () => {
  it('checks required fields before calling the API, in the reader’s language', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    renderPage()
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))
    expect(await screen.findAllByText('Required')).toHaveLength(2)
    expect(screen.getByText('Use at least 10 characters.')).toBeTruthy()
    expect(fetch).not.toHaveBeenCalled()
  })

  it('shows the API’s field errors under the fields and marks them invalid', async () => {
    const body = {
      type: 'urn:lovedcrm:problem:validation_failed',
      title: 'Unprocessable Entity',
      status: 422,
      detail: 'The request has invalid fields',
      code: 'validation_failed',
      errors: [{ field: 'email', message: 'must be a valid email address' }],
    }
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(body), { status: 422, headers: { 'content-type': 'application/problem+json' } })),
    )
    renderPage()
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'Ana' } })
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ana@' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse battery' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))
    const message = await screen.findByText('Enter a valid email address')
    const input = screen.getByLabelText('Email')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(input.getAttribute('aria-describedby')).toBe(message.id)
  })
})
